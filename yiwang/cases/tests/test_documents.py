"""Printable documents: the acceptance notice (受理通知书) and the mediation agreement (调解协议书) are PDFs
with the Chinese fonts embedded, extractable text, every element art. 29 requires, and are downloadable
only by those who can see the case."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from yiwang.areas.models import Area, Centre, DisputeType
from yiwang.audit.models import AuditEvent
from yiwang.cases.documents import render_acceptance_notice, render_agreement
from yiwang.cases.models import Agreement, Case, Party
from yiwang.testing import assert_not_found_for

LIUHENG = "330903100"
APPLICANT_ID = "330903198001010012"


def make_case(cast, *, with_agreement: bool = True) -> Case:
    """A 六横 neighbourhood dispute between two people, mediated to an agreement (built with plain ORM
    calls: the documents only read the records)."""
    centre = Centre.objects.get(area_id=LIUHENG, level="town")
    case = Case.objects.create(
        number="PT05-2026-00042", channel="window", dispute_type=DisputeType.objects.get(code="neighbourhood"),
        area=Area.objects.get(code=LIUHENG), centre=centre, registered_centre=centre, tier="town",
        status="agreed" if with_agreement else "accepted", facts="两户相邻，排水沟堵塞致张家院墙受损。",
        claims="赔偿院墙修复费用人民币三千元。", received_at=timezone.now(), deadline=timezone.localdate(),
        owner=cast.liuheng_clerk,
    )
    Party.objects.create(case=case, role="applicant", name="张三丰", id_number=APPLICANT_ID,
                         phone="13812345678", address="普陀区六横镇峧头村一组12号")
    Party.objects.create(case=case, role="respondent", name="李四海", id_number="330903198502020021",
                         phone="13987654321", address="普陀区六横镇峧头村一组14号")
    if with_agreement:
        Agreement.objects.create(
            case=case, parties_snapshot=[p.snapshot() for p in case.parties.all()],
            facts="李四海疏通排水沟时未加防护，致张三丰院墙东段约三米受损。",
            matters_in_dispute="院墙修复费用的数额与承担。", responsibilities="李四海承担主要责任，张三丰无责任。",
            content="李四海赔偿张三丰院墙修复费用人民币二千五百元。", performance_manner="银行转账",
            performance_place="六横镇社会治理中心", performance_deadline=datetime.date(2026, 12, 31),
            signed_on=datetime.date(2026, 11, 20), effective_on=datetime.date(2026, 11, 20),
            mediator=cast.mediator_wang,
        )
    return case


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def assert_fonts_embedded(pdf: bytes, tmp_path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows, "the PDF uses fonts"
    for row in rows:
        # columns: name type encoding emb sub uni object ID; "emb" is the third field from the right of 5
        assert row.split()[-5] == "yes", f"font not embedded: {row}"
    assert "CJK" in listing, listing


def test_the_agreement_holds_every_element_of_article_29(demo, tmp_path):
    pdf = render_agreement(make_case(demo))
    assert pdf.startswith(b"%PDF")
    assert_fonts_embedded(pdf, tmp_path)
    text = pdf_text(pdf, tmp_path)
    for heading in ["人民调解协议书", "当事人基本情况", "纠纷主要事实", "争议事项", "各方当事人的责任",
                    "协议内容", "履行方式", "履行地点", "履行期限"]:
        assert heading in text, heading
    for detail in ["PT05-2026-00042", "张三丰", "李四海", APPLICANT_ID, "二千五百元", "银行转账", "2026年12月31日"]:
        assert detail in text, detail
    # Signature lines for each party, the mediator and the committee's seal.
    assert text.count("签名、盖章或按指印") == 2
    assert "人民调解员" in text and "印章" in text
    assert "一式三份" in text


def test_the_acceptance_notice_names_the_parties_and_their_rights(demo, tmp_path):
    pdf = render_acceptance_notice(make_case(demo, with_agreement=False))
    assert_fonts_embedded(pdf, tmp_path)
    text = pdf_text(pdf, tmp_path)
    for detail in ["受理通知书", "PT05-2026-00042", "张三丰", "李四海", "邻里纠纷", "予以受理", "不收取任何费用",
                   "拒绝调解"]:
        assert detail in text, detail


def test_without_pii_view_the_documents_mask_id_numbers_and_phones(demo, tmp_path):
    text = pdf_text(render_agreement(make_case(demo), full_pii=False), tmp_path)
    assert APPLICANT_ID not in text and "13812345678" not in text
    assert "330903********0012" in text and "138****5678" in text


def test_the_first_page_renders_to_an_image(demo, tmp_path):
    path = tmp_path / "agreement.pdf"
    path.write_bytes(render_agreement(make_case(demo)))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True)
    image = next(tmp_path.glob("page*.png"))
    assert image.stat().st_size > 10_000  # a page with text on it, not a blank one


@pytest.mark.parametrize("document", ["acceptance_notice", "agreement"])
def test_downloading_a_document_is_scoped_and_audited(demo, document):
    case = make_case(demo)
    url = reverse(f"cases:{document}", args=[case.pk])
    response = demo.client("liuheng_clerk").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert case.number in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb="cases.document_downloaded", object_id=str(case.pk)).exists()
    assert_not_found_for(demo.client("shenjiamen_clerk"), url)


def test_no_agreement_no_agreement_pdf(demo):
    case = make_case(demo, with_agreement=False)
    assert_not_found_for(demo.client("liuheng_clerk"), reverse("cases:agreement", args=[case.pk]))
