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
