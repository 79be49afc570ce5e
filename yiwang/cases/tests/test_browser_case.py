"""In a real browser, on a phone: a mediator opens their case and records a mediation session."""

import pytest

from yiwang.cases import actions
from yiwang.cases.models import Case
from yiwang.cases.tests.test_pages_case import register
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def test_a_mediator_records_a_session_on_a_phone(demo_tx, phone_page):
    page = phone_page
    case = register(demo_tx)
    case = actions.do_accept(case, by=demo_tx.liuheng_clerk)
    case = actions.do_assign(case, by=demo_tx.liuheng_clerk, mediators=[demo_tx.mediator_wang])
    case = actions.do_start_mediation(case, by=demo_tx.mediator_wang)

    sign_in(page, "mediator_wang")
    page.goto(f"/cases/{case.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the case page scrolls sideways"
    page.click("details[data-action=record_session] summary")
    form = page.locator("details[data-action=record_session] form")
    form.locator("input[name=record_session-place]").fill("六横镇调解室")
    form.locator("textarea[name=record_session-record]").fill("双方到场陈述，同意继续协商。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    assert "已完成：记录调解笔录" in page.locator(".messages").inner_text()
    assert "双方到场陈述，同意继续协商。" in page.locator("section", has_text="调解笔录").first.inner_text()
    assert Case.objects.get(pk=case.pk).sessions.count() == 1
    page.screenshot(path="/tmp/yiwang_case_phone.png", full_page=True)
