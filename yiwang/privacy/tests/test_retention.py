"""Archived cases are anonymised after the retention period; the statistics stay exactly as they were."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.audit.chain import verify
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Agreement, Case
from yiwang.privacy.retention import ANONYMOUS, REDACTED, anonymise_due, do_anonymise_due, get_due_parties
from yiwang.stats.aggregates import rebuild
from yiwang.stats.models import CaseSignature, Cell
from yiwang.testing import factories as f

ID_NUMBER = "330903199001011234"


def figures():
    cells = sorted(Cell.objects.exclude(n=0, total=0).values_list("area_code", "grain", "day", "metric", "key", "n",
                                                                  "total"))
    signatures = sorted(CaseSignature.objects.values_list(
        "case_id", "area_code", "received_on", "dispute_type", "channel", "tier", "outcome", "closed", "on_time"))
    return cells, signatures


@pytest.fixture(scope="module")
def later():
    return timezone.now() + dt.timedelta(days=11 * 365)


@pytest.fixture
def archived(cast):
    person = f.applicant(name="欧阳明", id_number=ID_NUMBER, address="六横镇某村1号")
    case = f.make_case("archived", applicants=[person],
                       facts=f"欧阳明（身份证{ID_NUMBER}，电话{person['phone']}）与邻居因围墙发生纠纷。")
    open_case = f.make_case("mediating", applicants=[f.applicant(name="欧阳亮")])
    return case, open_case, person


def test_an_archived_case_past_the_period_is_anonymised_and_the_figures_stay(archived, later, settings):
    case, open_case, person = archived
    settings.RETENTION_DAYS = 10 * 365
    assert not get_due_parties().exists()  # archived today: not yet due
    before = figures()
    assert do_anonymise_due(later, batch=1) == 1
    party = case.parties.get(role="applicant")
    assert (party.name, party.id_number, party.phone, party.address) == (ANONYMOUS, "", "", "")
    case.refresh_from_db()
    assert ID_NUMBER not in case.facts and person["phone"] not in case.facts and "欧阳明" not in case.facts
    assert f"{REDACTED}（身份证{REDACTED}" in case.facts and "围墙" in case.facts
    for agreement in Agreement.objects.filter(case=case):
        assert all(p["id_number"] == "" and p["phone"] == "" for p in agreement.parties_snapshot)
        assert "欧阳明" not in agreement.facts
    assert open_case.parties.get(role="applicant").name == "欧阳亮"  # not archived: untouched
    assert figures() == before
    rebuild()  # recomputed from the raw rows, the figures are still the same
    assert figures() == before
    event = AuditEvent.objects.get(verb="privacy.anonymised")
    assert (event.object_id, event.actor_name, event.detail["retention_days"]) == (str(case.pk), "scheduler", 3650)
    assert do_anonymise_due(later) == 0  # idempotent
    assert verify() == []


def test_the_period_is_configurable_and_the_command_and_task_run_it(archived, later, settings, capsys):
    case, _, _ = archived
    settings.RETENTION_DAYS = 20 * 365
    call_command("anonymise_archived")
    assert "0 cases anonymised" in capsys.readouterr().out
    assert anonymise_due.enqueue().return_value == 0
    settings.RETENTION_DAYS = 1
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=2))
    call_command("anonymise_archived")
    assert "1 cases anonymised" in capsys.readouterr().out
    assert case.parties.get(role="applicant").name == ANONYMOUS


def test_the_online_and_maritime_records_of_an_anonymised_case_keep_no_personal_data(archived, later, settings):
    """What the apps built on cases hold of the party (the phone a code was sent to, the signer's name and
    address, the room's messages, the evidence's name, the maritime record's texts) goes too: a dump of
    their tables after anonymisation shows neither the name, the ID number, the phone nor its hash."""
    from django.core import serializers

    from yiwang.core import crypto
    from yiwang.maritime.models import IncidentKind, MaritimeRecord, Service, ServiceKind
    from yiwang.online.actions import issue_code
    from yiwang.online.models import (
        CodePurpose,
        Evidence,
        OneTimeCode,
        PartyAccess,
        RoomMessage,
        Signature,
        SignedAgreement,
        SignerRole,
    )

    case, _open_case, person = archived
    party = case.parties.get(role="applicant")
    settings.RETENTION_DAYS = 10 * 365
    now = timezone.now()
    link = PartyAccess.objects.create(party=party, token_hash="0" * 64, created_at=now)
    issue_code(person["phone"], CodePurpose.SIGN, access=link)
    said = f"我是欧阳明，身份证{ID_NUMBER}，电话{person['phone']}"
    RoomMessage.objects.create(case=case, party=party, text=said, at=now)
    Evidence.objects.create(case=case, party=party, file="evidence/x.jpg", name="欧阳明的围墙照片.jpg",
                            content_type="image/jpeg", size=1, sha256="0" * 64, note=said, at=now)
    signed = SignedAgreement.objects.create(case=case, pdf="agreements/x.pdf", sha256="0" * 64,
                                            original_sha256="0" * 64, created_at=now,
                                            slots=[{"label": "申请人 欧阳明", "role": "applicant", "party": party.pk}])
    Signature.objects.create(agreement=signed, order=1, role=SignerRole.APPLICANT, party=party, label="申请人 欧阳明",
                             signed_at=now, ip_address="10.1.2.3", sha256="0" * 64)
    record = MaritimeRecord.objects.create(case=case, area_id=case.area_id, incident_kind=IncidentKind.values[0],
                                           major=True, major_reason=said, insurance_note=said)
    Service.objects.create(record=record, area_id=case.area_id, kind=ServiceKind.values[0], note=said, outcome=said)
    models = [OneTimeCode, PartyAccess, RoomMessage, Evidence, SignedAgreement, Signature, MaritimeRecord, Service]

    def dump():
        return "".join(serializers.serialize("json", m.objects.all()) for m in models)

    assert "欧阳明" in dump() and person["phone"] in dump()  # the dump does show them while the case is live
    before = figures()
    assert do_anonymise_due(later) == 1

    text = dump()
    for personal in ("欧阳明", ID_NUMBER, person["phone"], crypto.blind_hash("phone", person["phone"]), "10.1.2.3"):
        assert personal not in text, personal
    assert "围墙照片" in text and REDACTED in text  # redacted, not emptied
    assert MaritimeRecord.objects.get(pk=record.pk).major  # what is counted stays
    assert figures() == before
