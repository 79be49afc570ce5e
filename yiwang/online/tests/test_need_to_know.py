"""Need-to-know on the citizen side: the sealed agreement's full ID numbers and phones go only to those who
work the case with pii.view (a bank, a court liaison or a leader get the masked rendering), the signatures
API masks signers' names, the mediation room and its evidence are for the case's mediators and centre
staff, and re-sending a party's private link (which replaces their token) is for the case's own intake
side and mediators, not for a bank that is only a party to it."""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.audit.models import AuditEvent
from yiwang.cases.validators import credit_code_check_character
from yiwang.online import actions
from yiwang.online.models import PartyAccess
from yiwang.online.tests.factories import APPLICANT, drafted_case
from yiwang.online.tests.test_remote_signing import link_from_sms, proven_client, sign_on_phone

BANK = "浙江普陀农村商业银行"
FULL_ID, MASKED_ID = APPLICANT["id_number"], "330602********0025"
FULL_PHONE, MASKED_PHONE = APPLICANT["phone"], "139****1234"
BANK_PHONE = "13857001234"


@pytest.fixture
def bank(demo) -> Organisation:
    bank = Organisation.objects.get(name=BANK, kind=OrganisationKind.BANK)
    first17 = "91330903MA2A1B2C3"
    bank.credit_code = first17 + credit_code_check_character(first17)
    bank.save(update_fields=["credit_code"])
    return bank


@pytest.fixture
def sealed(demo, outbox, bank):
    """A citizen's dispute with the bank, filed online, its agreement drafted, signed by both parties and the
    mediator and sealed by the centre: the bank sees it because it is a party."""
    case, _ = drafted_case(demo, respondent={"kind": "organisation", "name": BANK, "credit_code": bank.credit_code,
                                            "phone": BANK_PHONE, "representative": "王行长"})
    mediator = demo.client("mediator_wang")
    assert mediator.post(f"/online/cases/{case.pk}/signing/", {"do": "prepare"}).status_code == 302
    for phone in (FULL_PHONE, BANK_PHONE):
        url = link_from_sms(outbox, phone)
        sign_on_phone(proven_client(url, outbox), url, outbox)
    assert mediator.post(f"/online/cases/{case.pk}/signing/", {"do": "sign"}).status_code == 302
    case.refresh_from_db()
    assert case.signed_agreement.completed_at is not None
    return case


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
@pytest.mark.parametrize("username", ["bank_operator", "putuo_leader"])
def test_the_sealed_agreement_is_masked_for_readers_without_need_to_know(demo, sealed, username, tmp_path):
    response = demo.client(username).get(f"/online/cases/{sealed.pk}/agreement.pdf")
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    text = pdf_text(response.content, tmp_path).replace(" ", "")
    assert MASKED_ID in text and MASKED_PHONE in text
    assert FULL_ID not in text and FULL_PHONE not in text
    assert not AuditEvent.objects.filter(verb="cases.pii_viewed", object_id=str(sealed.pk)).exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_the_mediator_downloads_the_sealed_file_recorded_as_a_full_read(demo, sealed, tmp_path):
    response = demo.client("mediator_wang").get(f"/online/cases/{sealed.pk}/agreement.pdf")
    with sealed.signed_agreement.pdf.open("rb") as handle:
        assert response.content == handle.read()
    assert FULL_ID in pdf_text(response.content, tmp_path).replace(" ", "")
    read = AuditEvent.objects.get(verb="cases.pii_viewed", object_id=str(sealed.pk))
    assert read.actor == demo.mediator_wang and read.detail["document"] == "signed_agreement"


def test_the_signatures_api_masks_signers_without_pii_view(demo, sealed):
    def labels(username):
        rows = demo.api(username).get("/api/v1/signed-agreements/").json()["results"]
        return [s["label"] for s in next(r for r in rows if r["case_number"] == sealed.number)["signatures"]]

    assert labels("mediator_wang")[0] == "申请人 陈海燕"
    masked = labels("putuo_leader")
    assert masked[0] == "申请人 陈*燕" and "陈海燕" not in " ".join(masked)
    assert masked[1] == f"被申请人 {BANK}"  # an organisation's name is not personal information
    assert labels("bank_operator")[0] == "申请人 陈*燕"


def test_the_room_and_its_evidence_are_for_the_cases_mediators_and_centre_staff(demo, sealed):
    evidence = actions.do_upload_evidence(sealed, by=demo.mediator_wang, note="转账记录",
                                          upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
    room, file = f"/online/cases/{sealed.pk}/room/", f"/online/cases/{sealed.pk}/evidence/{evidence.pk}/"
    for username in ("mediator_wang", "putuo_staff"):
        assert demo.client(username).get(room).status_code == 200, username
        assert demo.client(username).get(file).status_code == 200, username
    # A mediator not assigned to the case, a leader and the bank all hold case.view on it: still a 404.
    for username in ("maritime_mediator", "putuo_leader", "bank_operator"):
        client = demo.client(username)
        assert client.get(room).status_code == 404, username
        assert client.get(file).status_code == 404, username
        assert client.post(room, {"text": "你好"}).status_code == 404, username
    assert not sealed.room_messages.filter(text="你好").exists()


def test_a_bank_that_is_only_a_party_cannot_resend_a_partys_link(demo, sealed, outbox):
    applicant = sealed.parties.get(role="applicant")
    before = PartyAccess.objects.get(party=applicant).token_hash
    sent = len(outbox)
    with pytest.raises(actions.AccessRefused):
        actions.do_invite_party(applicant, by=demo.bank_operator, base_url="http://testserver")
    demo.client("bank_operator").post(f"/online/cases/{sealed.pk}/parties/{applicant.pk}/invite/")
    assert PartyAccess.objects.get(party=applicant).token_hash == before and len(outbox) == sent
    assert not actions.get_case_tools(sealed, demo.bank_operator).invitable
    # The case's mediator may.
    actions.do_invite_party(applicant, by=demo.mediator_wang, base_url="http://testserver")
    assert PartyAccess.objects.get(party=applicant).token_hash != before


def test_a_sealed_agreement_whose_stored_file_is_gone_is_404_not_500(demo, sealed):
    from yiwang.core.storage import private_storage

    private_storage.delete(sealed.signed_agreement.pdf.name)  # the object is lost from the storage
    mediator = demo.client("mediator_wang")
    assert mediator.get(f"/online/cases/{sealed.pk}/agreement.pdf").status_code == 404
    assert mediator.get(f"/cases/{sealed.pk}/agreement.pdf").status_code == 404
