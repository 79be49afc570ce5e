"""In a real browser: a window clerk registers a walk-in dispute and finds it in the window's queue."""

import pytest

from yiwang.cases.models import Case, Status
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def test_a_clerk_registers_a_walk_in_dispute_and_sees_it_in_the_queue(demo_tx, page):
    sign_in(page, "liuheng_clerk")
    page.get_by_role("link", name="矛盾纠纷").first.click()
    page.get_by_role("link", name="登记矛盾纠纷").click()
    page.wait_for_url("**/cases/new/")

    page.select_option("select[name=channel]", "window")
    page.select_option("select[name=dispute_type]", label="邻里纠纷")
    page.select_option("select[name=area]", index=2)  # a village of 六横镇
    page.fill("textarea[name=facts]", "邻居在共用通道上修建围墙，阻碍通行。")
    page.fill("textarea[name=claims]", "拆除围墙，恢复通行。")
    page.fill("input[name=app-0-name]", "欧阳海明")
    page.fill("input[name=app-0-id_number]", "33090319800101123X")
    page.fill("input[name=app-0-phone]", "13857001234")
    page.fill("input[name=app-0-address]", "舟山市普陀区六横镇峧头村一组12号")
    # A second applicant, added with the "add another" button.
    page.get_by_role("button", name="添加申请人").click()
    page.fill("input[name=app-1-name]", "欧阳海亮")
    page.fill("input[name=app-1-phone]", "13857005678")
    page.fill("input[name=resp-0-name]", "李国强")
    page.fill("input[name=resp-0-phone]", "13905801234")
    page.screenshot(path="/tmp/yiwang_intake.png", full_page=True)
    page.get_by_role("button", name="登记", exact=True).click()

    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(parties__name="欧阳海明")
    assert case.status == Status.REGISTERED and case.channel == "window"
    assert case.parties.filter(role="applicant").count() == 2
    assert case.number in page.locator("h1").inner_text()
    assert f"案件{case.number}已登记" in page.locator(".messages").inner_text()
    assert "13857001234" not in page.content()  # masked until asked for
    page.screenshot(path="/tmp/yiwang_case.png", full_page=True)

    page.get_by_role("link", name="返回列表").click()
    page.wait_for_url("**/cases/")
    row = page.locator("table.cases tr", has_text=case.number)
    assert row.count() == 1
    assert "欧阳海明" in row.inner_text() and "已登记" in row.inner_text()
    page.screenshot(path="/tmp/yiwang_queue.png", full_page=True)


def test_the_intake_form_shows_errors_and_keeps_what_was_typed(demo_tx, phone_page):
    page = phone_page
    sign_in(page, "liuheng_clerk")
    page.goto("/cases/new/")
    page.select_option("select[name=dispute_type]", label="邻里纠纷")
    page.fill("textarea[name=facts]", "邻居在共用通道上修建围墙。")
    page.fill("input[name=app-0-name]", "欧阳海明")
    page.fill("input[name=app-0-id_number]", "330903198001011234")  # wrong check character
    page.fill("input[name=app-0-phone]", "13857001234")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_load_state()
    assert "请更正以下错误" in page.locator(".errors").first.inner_text()
    assert "校验码" in page.content()
    assert page.input_value("input[name=app-0-name]") == "欧阳海明"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="/tmp/yiwang_intake_phone.png", full_page=True)
    assert not Case.objects.filter(parties__name="欧阳海明").exists()


def test_an_organisation_respondent_shows_its_own_fields(demo_tx, page):
    sign_in(page, "liuheng_clerk")
    page.goto("/cases/new/")
    assert page.is_visible("input[name=resp-0-id_number]")
    assert not page.is_visible("input[name=resp-0-credit_code]")
    page.select_option("select[name=resp-0-kind]", "organisation")
    assert page.is_visible("input[name=resp-0-credit_code]")
    assert not page.is_visible("input[name=resp-0-id_number]")
