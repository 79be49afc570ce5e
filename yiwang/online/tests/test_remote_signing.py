"""Remote signing: each party signs on a phone (drawn signature + one-time code), the mediator signs, the
centre seals; the PDF carries a PAdES signature per signer and verifies; order, times, IPs, hashes recorded."""

import hashlib
import re
import shutil
import subprocess

import pytest
from django.test import Client

from yiwang.online import actions
from yiwang.online.models import Signature
from yiwang.online.signing import verify_pdf
from yiwang.online.tests.factories import drafted_case, drawing_data_url
from yiwang.testing import assert_not_found_for


def last_code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1][1]).group()


def proven_client(url, outbox) -> Client:
    client = Client(REMOTE_ADDR="60.190.1.23")  # 绍兴
    client.post(url, {"step": "send"})
    client.post(url, {"step": "verify", "code": last_code(outbox)})
    return client


def link_from_sms(outbox, phone) -> str:
    """The latest private link sent to `phone` (the applicant got theirs when filing)."""
    texts = [t for p, t in outbox if p == phone and "/p/" in t]
    return re.search(r"http://testserver(/p/[^/\s]+/)", texts[-1]).group(1)


def sign_on_phone(client, url, outbox, drawing=None):
    client.post(url + "sign/", {"step": "send"})
    return client.post(url + "sign/", {"step": "sign", "code": last_code(outbox),
                                       "drawing": drawing or drawing_data_url()})


@pytest.fixture
def up_for_signing(demo, outbox):
    case, _ = drafted_case(demo)
    response = demo.client("mediator_wang").post(f"/online/cases/{case.pk}/signing/", {"do": "prepare"})
    assert response.status_code == 302
    return case


def test_the_whole_remote_signing_produces_a_pdf_that_verifies(demo, outbox, up_for_signing, tmp_path):
    case = up_for_signing
    assert any("13905751234" == p and case.number in t and "/p/" not in t for p, t in outbox)  # "open your link"
    for phone in ("13905751234", "13857001234"):  # both parties got their links by SMS
        url = link_from_sms(outbox, phone)
        client = proven_client(url, outbox)
        assert "signature-pad" in client.get(url).text
        assert client.get(url + "agreement.pdf").content[:5] == b"%PDF-"
        sign_on_phone(client, url, outbox)

    mediator = demo.client("mediator_wang")
    assert "signature-pad" in mediator.get(f"/online/cases/{case.pk}/signing/").content.decode()
    assert mediator.post(f"/online/cases/{case.pk}/signing/", {"do": "sign", "drawing": drawing_data_url()}
                         ).status_code == 302  # the mediator draws too

    pdf = mediator.get(f"/online/cases/{case.pk}/agreement.pdf").content
    result = verify_pdf(pdf)
    assert result.valid, result.as_text()
    assert [s.label for s in result.signatures][:3] == ["申请人 陈海燕", "被申请人 李大海", "调解员 王调解员"]
    assert len(result.signatures) == 4
    signatures = list(Signature.objects.filter(agreement__case=case).order_by("order"))
    assert [s.role for s in signatures] == ["applicant", "respondent", "mediator", "centre"]
    assert signatures[0].ip_address == "60.190.1.23" and signatures[0].drawing
    assert signatures[2].drawing and case.agreement.signature_of(role="mediator").drawing
    assert signatures[-1].sha256 == hashlib.sha256(pdf).hexdigest()
    assert len({s.sha256 for s in signatures}) == 4  # every signature made a new file
    assert all(a.signed_at <= b.signed_at for a, b in zip(signatures, signatures[1:], strict=False))
    assert case.signed_agreement.completed_at is not None
    if shutil.which("pdffonts"):  # the stamps' Chinese text embeds its font too
        path = tmp_path / "sealed.pdf"
        path.write_bytes(pdf)
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        assert all(" yes " in row for row in fonts.splitlines()[2:]) and "NotoSansCJKsc" in fonts, fonts

    # The API carries the signed PDF's URL, scoped like the case.
    rows = demo.api("mediator_wang").get("/api/v1/signed-agreements/").json()["results"]
    row = next(r for r in rows if r["case_number"] == case.number)
    assert row["agreement_pdf"].endswith(f"/api/v1/signed-agreements/{row['id']}/pdf/")
    assert [s["role"] for s in row["signatures"]] == ["applicant", "respondent", "mediator", "centre"]
    assert demo.api("mediator_wang").get(row["agreement_pdf"]).content == pdf  # with the API token alone
    assert demo.api("liuheng_clerk").get(row["agreement_pdf"]).status_code == 404
    outsider = demo.api("liuheng_clerk").get("/api/v1/signed-agreements/").json()["results"]
    assert case.number not in [r["case_number"] for r in outsider]
    # The case itself carries it too, in the case API's detail and lists.
    detail = demo.api("mediator_wang").get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["agreement_pdf"] == row["agreement_pdf"]
    listed = demo.api("mediator_wang").get("/api/v1/cases/", {"q": case.number}).json()["results"]
    assert [r["agreement_pdf"] for r in listed] == [row["agreement_pdf"]]
    assert demo.api("liuheng_clerk").get(f"/api/v1/cases/{case.pk}/").status_code == 404


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils is not installed")
def test_the_pdf_embeds_its_fonts_and_has_a_signature_block(demo, outbox, up_for_signing, tmp_path):
    """The boxes are in the agreement's own signature block (no separate signing page since issue 16)."""
    with up_for_signing.signed_agreement.pdf.open("rb") as handle:
        pdf = handle.read()
    slots = up_for_signing.signed_agreement.slots
    assert [s["role"] for s in slots] == ["applicant", "respondent", "mediator", "centre"]
    assert all(s["page"] == slots[-1]["page"] or s["page"] < slots[-1]["page"] for s in slots)
    path = tmp_path / "draft.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for element in ("陈海燕", "李大海", "东极海域", "被申请人负主要责任", "陆万元", "银行转账", "舟山市普陀区",
                    "签名、盖章或按指印", "人民调解委员会印章"):
        assert element in text.replace(" ", ""), element  # art. 29's elements, and the signature block


def test_the_mediator_cannot_sign_before_every_party(demo, outbox, up_for_signing):
    response = demo.client("mediator_wang").post(f"/online/cases/{up_for_signing.pk}/signing/", {"do": "sign"},
                                                 follow=True)
    assert "每一方当事人" in response.text
    assert Signature.objects.filter(agreement__case=up_for_signing).count() == 0


def test_a_wrong_code_or_an_empty_drawing_signs_nothing(demo, outbox, up_for_signing):
    url = link_from_sms(outbox, "13905751234")
    client = proven_client(url, outbox)
    client.post(url + "sign/", {"step": "send"})
    wrong = f"{(int(last_code(outbox)) + 1) % 10**6:06d}"

    client.post(url + "sign/", {"step": "sign", "code": wrong, "drawing": drawing_data_url()})
    sign_on_phone(client, url, outbox, drawing=drawing_data_url(blank=True))
    client.post(url + "sign/", {"step": "sign", "code": last_code(outbox), "drawing": "data:image/gif;base64,R0lG"})

    assert Signature.objects.filter(agreement__case=up_for_signing).count() == 0


def test_a_party_signs_once(demo, outbox, up_for_signing):
    url = link_from_sms(outbox, "13905751234")
    client = proven_client(url, outbox)
    sign_on_phone(client, url, outbox)
    sign_on_phone(client, url, outbox)

    assert Signature.objects.filter(agreement__case=up_for_signing).count() == 1
    assert "signature-pad" not in client.get(url).text


def test_the_agreement_pdf_needs_the_code_and_staff_in_scope(demo, outbox, up_for_signing):
    url = link_from_sms(outbox, "13905751234")
    assert_not_found_for(Client(), url + "agreement.pdf")  # the link alone is not enough
    outsider = demo.client("liuheng_clerk")  # 六横镇; the case arose at district level
    assert_not_found_for(outsider, f"/online/cases/{up_for_signing.pk}/agreement.pdf")
    assert_not_found_for(outsider, f"/online/cases/{up_for_signing.pk}/signing/")
    assert Client().post(url + "sign/", {"step": "send"}).status_code == 404


def test_only_an_assigned_mediator_puts_an_agreement_up_for_signing(demo, outbox):
    case, _ = drafted_case(demo)
    with pytest.raises(actions.SigningRefused):
        actions.do_prepare_signing(case, by=demo.maritime_mediator, base_url="http://testserver")
    with pytest.raises(actions.SigningRefused):
        actions.do_sign_as_mediator(case, by=demo.maritime_mediator)


def test_a_case_without_agreement_cannot_be_signed(demo, outbox):
    from yiwang.online.tests.factories import file_case

    case, _ = file_case()
    with pytest.raises(actions.SigningRefused):
        actions.do_prepare_signing(case, by=demo.putuo_staff, base_url="http://testserver")


def test_more_parties_than_the_signing_page_holds_are_refused_not_misassigned(demo, outbox):
    """Boxes go to parties in order; with seven parties the last would have had no box (and every other
    box the wrong signer). Such an agreement is signed on paper: nothing is put up, nobody is texted."""
    import datetime as dt

    from django.utils import timezone

    from yiwang.cases import actions as case_actions
    from yiwang.online.models import SignedAgreement
    from yiwang.online.tests.factories import file_case

    case, _ = file_case()
    for i in range(5):
        case.parties.create(role="applicant", kind="person", name=f"共同申请人{i}")
    staff, mediator = demo.putuo_staff, demo.mediator_wang
    case = case_actions.do_accept(case, by=staff)
    case = case_actions.do_assign(case, by=staff, mediators=[mediator])
    case = case_actions.do_start_mediation(case, by=mediator)
    case = case_actions.do_record_agreement(
        case, by=mediator, facts="事实", matters_in_dispute="争议", responsibilities="责任", content="内容",
        performance_manner="转账", performance_place="普陀", performance_deadline=timezone.localdate() + dt.timedelta(days=9),
    )
    sent = len(outbox)
    with pytest.raises(actions.SigningRefused):
        actions.do_prepare_signing(case, by=mediator, base_url="http://testserver")
    assert not SignedAgreement.objects.filter(case=case).exists() and len(outbox) == sent
