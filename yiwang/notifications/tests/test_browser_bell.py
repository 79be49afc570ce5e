"""In a real browser: a clerk assigns a case; the mediator's bell shows 1; the mediator opens it and lands
on the case."""

import pytest

from yiwang.cases import actions
from yiwang.testing import factories as f
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def test_a_clerk_assigns_and_the_mediators_bell_leads_to_the_case(demo_tx, page_factory, monkeypatch):
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: None)  # no SMS gateway here
    case = actions.do_accept(f.register_case(), by=demo_tx.liuheng_clerk)
    mediator_id = demo_tx.mediator_wang.pk

    clerk = page_factory()
    sign_in(clerk, "liuheng_clerk")
    clerk.goto(f"/cases/{case.pk}/")
    clerk.click("details[data-action=assign] summary")
    form = clerk.locator("details[data-action=assign] form")
    form.locator(f"input[name=assign-mediators][value='{mediator_id}']").check()
    form.locator("button[type=submit]").click()
    clerk.wait_for_load_state()
    assert "已完成" in clerk.locator(".messages").inner_text()

    mediator = page_factory()
    sign_in(mediator, "mediator_wang")
    bell = mediator.locator("#bell")
    assert bell.locator(".count").inner_text() == "1"
    bell.click()
    mediator.wait_for_url("**/notifications/")
    mediator.locator("ul.notifications li.unread a").first.click()
    mediator.wait_for_url(f"**/cases/{case.pk}/")
    assert case.number in mediator.content()
    assert mediator.locator("#bell .count").count() == 0  # read now: the bell is quiet
