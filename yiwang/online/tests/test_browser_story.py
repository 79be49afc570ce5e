"""The seed's story in a real browser on phone-sized screens: a party in 绍兴 files through the 解纷码, the
respondent accepts, the mediator drafts, both parties and the mediator sign remotely (each by drawing), the
committee's seal goes on, and the signed PDF verifies — while a copy with one byte changed does not. The
sealed file read back as text has every signer's name and date in the agreement's own signature block, and
poppler's pdfsig finds every signature valid and made with the committee's own certificate."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case
from yiwang.online import actions
from yiwang.online.certificates import make_committee_certificate
from yiwang.online.signing import verify_pdf
from yiwang.online.tests.test_signing import content_stream_offset
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def code_for(outbox, phone) -> str:
    return re.search(r"\d{6}", [t for p, t in outbox if p == phone][-1]).group()


def link_for(outbox, phone) -> str:
    return re.search(r"https?://[^/\s]+(/p/[^/\s]+/)", [t for p, t in outbox if p == phone][-1]).group(1)


def open_with_code(page, link, outbox, phone):
    page.goto(link)
    assert "陈海燕" not in page.content()  # the link alone shows nothing personal
    page.get_by_role("button", name="获取验证码").click()
    page.fill("input[name=code]", code_for(outbox, phone))
    page.get_by_role("button", name="打开案件").click()
    page.wait_for_selector(".case-number")


def draw_signature(page):
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.7)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * box["width"] / 14, box["y"] + box["height"] * (0.3 + 0.4 * (step % 2)))
    page.mouse.up()


def sign_on_phone(page, outbox, phone):
    page.reload()
    page.get_by_role("button", name="获取签署验证码").click()
    draw_signature(page)
    page.fill("#sign-form input[name=code]", code_for(outbox, phone))
    page.get_by_role("button", name="签署协议").click()
    page.wait_for_selector("text=您已签署协议")


def test_the_sisters_settle_a_maritime_accident_without_travelling(demo_tx, page_factory, outbox, tmp_path):
    # 1. In 绍兴, 陈海燕 scans the poster's code and files on her phone.
    applicant = page_factory(phone=True)
    applicant.goto("/jf/PT/")
    applicant.select_option("select[name=dispute_type]", label="海事渔事纠纷")
    applicant.fill("input[name=applicant_name]", "陈海燕")
    applicant.fill("input[name=applicant_id_number]", "330602198805120025")
    applicant.fill("input[name=applicant_phone]", "13905751234")
    applicant.fill("input[name=applicant_address]", "浙江省绍兴市越城区解放北路1号")
    applicant.fill("input[name=respondent_name]", "林永康")
    applicant.fill("input[name=respondent_phone]", "13857001234")
    applicant.fill("textarea[name=facts]", "父亲的渔船在东极海域被浙普渔65678号渔船碰撞，人受伤，船体和网具受损。")
    applicant.fill("textarea[name=claims]", "赔偿医疗费、误工费、船舶修理费及网具损失。")
    applicant.fill("input[name=vessel_name]", "浙普渔65678")
    applicant.fill("input[name=sea_area]", "东极海域")
    applicant.get_by_role("button", name="提交").click()
    applicant.wait_for_selector(".case-number")
    number = applicant.locator(".case-number").inner_text()
    case = Case.objects.get(number=number)
    assert case.channel == "online" and case.dispute_type.maritime
    assert applicant.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    applicant.screenshot(path="/tmp/yiwang_online_filed.png", full_page=True)

    link = applicant.locator(".access-link a").inner_text()
    open_with_code(applicant, link, outbox, "13905751234")
    assert "已登记" in applicant.locator(".status").inner_text()

    # 2. The centre accepts and invites the respondent, who reads the claim and accepts mediation.
    staff, mediator = demo_tx.putuo_staff, demo_tx.maritime_mediator
    case = case_actions.do_accept(case, by=staff)
    actions.do_invite_party(case.parties.get(role="respondent"), by=staff, base_url="http://x")
    respondent = page_factory(phone=True)
    open_with_code(respondent, link_for(outbox, "13857001234"), outbox, "13857001234")
    assert "东极海域" in respondent.content()
    respondent.get_by_role("button", name="同意调解").click()
    respondent.wait_for_selector("text=您已同意调解")

    # 3. The mediator mediates online and drafts the agreement from the case.
    case = case_actions.do_assign(Case.objects.get(pk=case.pk), by=staff, mediators=[mediator])
    case = case_actions.do_start_mediation(case, by=mediator)
    case = case_actions.do_record_agreement(
        case, by=mediator, facts="双方渔船于东极海域作业时发生碰撞。", matters_in_dispute="碰撞责任及赔偿数额。",
        responsibilities="被申请人负主要责任，申请人一方负次要责任。", content="被申请人赔偿申请人人民币十九万六千元。",
        performance_manner="银行转账", performance_place="浙江省舟山市普陀区",
        performance_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    # The committee of the centre seals with its own certificate (configured as data; the demo makes one).
    committee = make_committee_certificate(case.centre, directory=tmp_path / "committee").committee_name
    desk = page_factory(phone=True)  # the mediator is out on the quay too
    sign_in(desk, "maritime_mediator")
    desk.goto(f"/online/cases/{case.pk}/signing/")
    desk.get_by_role("button", name="发起在线签署").click()
    desk.wait_for_selector("text=等待当事人签署")
    applicant.reload()
    assert "阅读协议" in applicant.content()
    assert applicant.locator("main").get_by_text("人民币十九万六千元").count() == 0  # the text is in the PDF

    # 4. Both parties sign on their phones; then the mediator signs and the centre's seal goes on.
    sign_on_phone(applicant, outbox, "13905751234")
    sign_on_phone(respondent, outbox, "13857001234")
    applicant.screenshot(path="/tmp/yiwang_online_signed.png", full_page=True)
    desk.reload()
    draw_signature(desk)
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390
    desk.screenshot(path="/tmp/yiwang_online_mediator_signs.png", full_page=True)
    desk.get_by_role("button", name="调解员签署并加盖中心印章").click()
    desk.wait_for_selector("text=各方已签署并盖章")
    assert Case.objects.get(pk=case.pk).agreement.signatures.get(role="mediator").drawing  # the drawing went with it

    # 5. The signed PDF verifies; a copy with one byte changed does not.
    with desk.expect_download() as download_info:
        desk.evaluate("""() => { const a = document.querySelector("a[href$='agreement.pdf']");
                                 a.setAttribute("download", "agreement.pdf"); a.click(); }""")
    path = tmp_path / "agreement.pdf"
    download_info.value.save_as(path)
    pdf = path.read_bytes()
    result = verify_pdf(pdf)
    assert result.valid, result.as_text()
    assert [s.label for s in result.signatures][:2] == ["申请人 陈海燕", "被申请人 林永康"]
    assert len(result.signatures) == 4
    assert result.centre == committee
    check_signature_block(path, Case.objects.get(pk=case.pk), committee, mediator)

    checker = page_factory(phone=True)
    checker.goto("/verify/")
    checker.set_input_files("input[name=file]", str(path))
    checker.get_by_role("button", name="核验").click()
    assert "有效" in checker.locator("#verdict h2").inner_text()
    tampered = bytearray(pdf)
    tampered[content_stream_offset(pdf)] ^= 0x01
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(tampered))
    checker.set_input_files("input[name=file]", str(bad))
    checker.get_by_role("button", name="核验").click()
    assert "无效" in checker.locator("#verdict h2").inner_text()
    checker.screenshot(path="/tmp/yiwang_online_verify.png", full_page=True)


def check_signature_block(path, case, committee, mediator):
    """The sealed file as a reader sees it: each signer's row of the signature block (申请人, 被申请人,
    调解员, 人民调解委员会（印）) names them and shows the date they signed; pdfsig validates every signature,
    each made with the committee's certificate (its name in the subject)."""
    if not (shutil.which("pdftotext") and shutil.which("pdfsig") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    signed_on = {s.role if not s.party_id else s.party.name: timezone.localtime(s.signed_at).date().isoformat()
                 for s in case.agreement.signatures.select_related("party")}
    rows = [("申请人 陈海燕", signed_on["陈海燕"]), ("被申请人 林永康", signed_on["林永康"]),
            (f"人民调解员 {mediator.display_name}", signed_on["mediator"]), (committee, signed_on["committee"])]
    block = text[text.rindex(rows[0][0]):]  # the signature block, after the parties' details
    starts = [block.index(title) for title, _date in rows] + [block.index("签订日期")]
    assert starts == sorted(starts), block  # in signing order, the date line after them
    for (title, date), start, end in zip(rows, starts[:-1], starts[1:], strict=True):
        assert date in block[start:end], (title, date, block)
    assert "人民调解委员会印章" in block[starts[3]:starts[4]], block
    assert "一式三份" in text  # each party and the committee keep a copy

    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert report.count("Signature is Valid.") == 4, report
    assert report.count(f"O={committee}") == 4, report
    assert "Total document signed" in report
    # The page as printed, for a person to look at (tests/…/yiwang_online_sealed-N.png).
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(path), "/tmp/yiwang_online_sealed"], check=True)
