"""On a phone: a grid worker logs Friday's visit with a problem found; the town's staff see it on
their board, accept it and dispatch it."""

import datetime

import pytest
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.grids.models import Grid, Problem, TaskState, VisitTask
from yiwang.grids.schedule import do_plan_visits
from yiwang.testing import PASSWORD
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def _last_friday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=(today.weekday() - 4) % 7)


def _fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_a_friday_visit_with_a_problem_reaches_the_town_board_and_is_dispatched(demo_tx, page_factory):
    friday = _last_friday()
    do_plan_visits(friday - datetime.timedelta(days=3))
    staff = User.objects.get(username="liuheng_staff")
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    worker = User.objects.get(username="grid_worker")
    grid = Grid.objects.filter(teams__grid_members__user=worker).order_by("code").first()

    phone = page_factory(phone=True)
    sign_in(phone, "grid_worker")
    phone.get_by_role("link", name="网格").first.click()
    phone.get_by_role("link", name="登记走访").click()
    phone.wait_for_url("**/grids/visits/new/")
    _fits_phone(phone)
    phone.select_option("select[name=grid]", str(grid.pk))
    phone.fill("input[name=date]", friday.isoformat())
    phone.fill("input[name=households_visited]", "18")
    phone.locator("input[name=members]").first.check()
    phone.fill("textarea[name=notes]", "周五走访渔民家庭，了解台风后生产情况")
    phone.select_option("select[name=p-0-category]", "livelihood")
    phone.fill("textarea[name=p-0-description]", "台风后柑橘滞销，农户求助销售渠道")
    phone.fill("input[name=p-0-location]", "东岙村果园")
    phone.get_by_role("button", name="保存走访记录").click()
    phone.wait_for_url("**/grids/visits/*/")
    assert "走访已登记，上报问题 1 个" in phone.content()
    _fits_phone(phone)
    phone.screenshot(path="/tmp/yiwang_grid_visit_phone.png", full_page=True)

    problem = Problem.objects.get(grid=grid)
    assert problem.visit.date == friday
    assert VisitTask.objects.get(grid=grid, week_day=friday).state == TaskState.DONE

    town = page_factory(phone=True)
    sign_in(town, "liuheng_staff")
    town.goto("/grids/")
    town.wait_for_url("**/grids/board/330903100/")
    assert town.locator("#new-today").inner_text() == "1"
    assert town.locator("#not-accepted-today").inner_text() == "1"
    _fits_phone(town)
    town.screenshot(path="/tmp/yiwang_grid_board_phone.png", full_page=True)
    town.locator("#open").click()
    town.get_by_role("link", name=f"#{problem.pk} 民生需求").click()
    assert town.locator("#state").inner_text() == "已上报"
    town.locator("#step-accept select[name=tier]").select_option("general")
    town.locator("#step-accept button").click()
    town.wait_for_selector("#step-dispatch")
    assert town.locator("#state").inner_text() == "已受理"
    town.locator("#step-dispatch select[name=organisation]").select_option(label="舟山市普陀区司法局")
    town.locator("#step-dispatch button").click()
    town.wait_for_function("document.querySelector('#state').innerText === '已派遣'")
    _fits_phone(town)
    town.screenshot(path="/tmp/yiwang_grid_dispatched_phone.png", full_page=True)

    problem.refresh_from_db()
    assert problem.state == "dispatched" and problem.assigned_organisation.name == "舟山市普陀区司法局"
    town.goto("/grids/board/330903100/")
    assert town.locator("#not-accepted-today").inner_text() == "0"
