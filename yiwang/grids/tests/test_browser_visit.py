"""Grid work in a real browser, from each person's home page.

On a 390×844 phone the grid worker logs Friday's visit from the home page in at most three clicks, with
the unsold fruit found on it; the town accepts it and dispatches it to 区农业农村局; the unit's account
finds it on its own home page and signs for it (the grid worker could not)."""

import datetime

import pytest
from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.grids.models import Grid, Problem, TaskState, VisitTask
from yiwang.grids.schedule import do_plan_visits
from yiwang.testing import PASSWORD
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser

AGRICULTURE = "舟山市普陀区农业农村局"


def _this_weeks_visit_day() -> datetime.date:
    """The latest day up to today that is a Friday: the visit the worker has just made."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=(today.weekday() - 4) % 7)


def _fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_a_visit_from_the_phone_home_reaches_the_unit_that_signs_for_it(demo_tx, page_factory):
    friday = _this_weeks_visit_day()
    do_plan_visits(friday - datetime.timedelta(days=3))
    staff = User.objects.get(username="liuheng_staff")
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    worker = User.objects.get(username="grid_worker")
    grid = Grid.objects.filter(teams__grid_members__user=worker).order_by("code").first()

    # The grid worker, on a phone: the home page is the week's visits; three clicks log one.
    phone = page_factory(phone=True)
    sign_in(phone, "grid_worker")
    _fits_phone(phone)
    assert "本周走访" in phone.locator("#grid-week").inner_text()
    assert phone.get_by_role("link", name="接口文档").count() == 0  # no API docs for a grid worker
    phone.screenshot(path="/tmp/yiwang_home_grid_worker_phone.png", full_page=True)
    phone.locator("#log-visit").click()  # 1
    phone.wait_for_url("**/grids/visits/new/?grid=*")
    assert phone.locator("select[name=grid]").input_value() == str(grid.pk)  # opened on the week's grid
    _fits_phone(phone)
    phone.fill("input[name=date]", friday.isoformat())
    phone.fill("input[name=households_visited]", "18")
    phone.select_option("select[name=p-0-category]", "livelihood")  # 2
    phone.fill("textarea[name=p-0-description]", "台风后柑橘滞销，农户求助销售渠道")
    phone.get_by_role("button", name="保存走访记录").click()  # 3
    phone.wait_for_url("**/grids/visits/*/")
    assert "走访已登记，上报问题 1 个" in phone.content()
    _fits_phone(phone)
    problem = Problem.objects.get(grid=grid)
    assert problem.visit.date == friday
    assert VisitTask.objects.get(grid=grid, week_day=friday).state == TaskState.DONE

    # The town accepts it from its board and dispatches it to the unit.
    town = page_factory()
    sign_in(town, "liuheng_staff")
    town.goto("/grids/")
    town.wait_for_url("**/grids/board/330903100/")
    assert town.locator("#new-today").inner_text() == "1"
    town.goto(f"/grids/problems/{problem.pk}/")
    town.locator("#step-accept select[name=tier]").select_option("general")
    town.locator("#step-accept button").click()
    town.wait_for_selector("#step-dispatch")
    town.locator("#step-dispatch select[name=organisation]").select_option(label=AGRICULTURE)
    town.locator("#step-dispatch button").click()
    town.wait_for_function("document.querySelector('#state').innerText === '已派遣'")

    # The grid worker is offered nothing to do with it; the unit's account signs for it from its home.
    phone.goto(f"/grids/problems/{problem.pk}/")
    assert phone.locator("#step-sign_for").count() == 0
    unit = page_factory()
    sign_in(unit, "agriculture_unit")
    card = unit.locator("#grid-in-hand")
    assert AGRICULTURE in card.inner_text() and "待签收 1 个" in card.inner_text()
    unit.screenshot(path="/tmp/yiwang_home_agriculture_unit.png", full_page=True)
    card.get_by_role("link", name=f"#{problem.pk} 民生需求").click()  # 1
    unit.locator("#step-sign_for button").click()  # 2
    unit.wait_for_function("document.querySelector('#state').innerText === '已签收'")
    problem.refresh_from_db()
    assert problem.state == "signed_for" and problem.assigned_organisation.name == AGRICULTURE
    assert problem.events.get(verb="sign_for").actor.username == "agriculture_unit"
