"""Each role's home (/home/) is that role's work: the grid worker's visits of the week and a 登记走访 button,
a unit's dispatched problems, a mediator's cases, a bank's desk, a court's queue, a leader's figures; master
data counts only for those who keep it, the API documentation only for roles that use the API."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from yiwang.accounts.demo import grid_worker_area
from yiwang.areas.models import Organisation
from yiwang.core.scope import user_can
from yiwang.grids import actions
from yiwang.grids.models import Grid
from yiwang.grids.schedule import do_plan_visits
from yiwang.testing.factories import log_visit, report_problem

WEDNESDAY = dt.datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
API_DOCS = 'href="/api/v1/docs/"'


def home(cast, username) -> str:
    response = cast.client(username).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def log_visit_button(page: str) -> str:
    return re.search(r'id="log-visit" href="([^"]+)"', page).group(1)


@pytest.fixture
def this_week(demo, time_machine):
    """A Wednesday with the week's Friday visits planned for every grid."""
    time_machine.move_to(WEDNESDAY, tick=False)
    do_plan_visits(dt.date(2026, 3, 2))


def test_a_grid_worker_meets_the_weeks_visits_and_a_log_visit_button(cast, this_week):
    grids = list(Grid.objects.filter(area=grid_worker_area(), teams__isnull=False).distinct().order_by("code"))
    page = home(cast, "grid_worker")
    assert 'id="grid-week"' in page and "本周走访" in page and "登记走访" in page
    assert log_visit_button(page) == f"/grids/visits/new/?grid={grids[0].pk}"
    for grid in grids:
        assert grid.name in page
    # not a centre's counts, not the API, not the admin
    assert 'id="master-data"' not in page and API_DOCS not in page and 'href="/admin/"' not in page
    # the button opens the form on that grid; once visited, it moves on to the next one
    form = cast.client("grid_worker").get(reverse("grids:visit_new"), {"grid": grids[0].pk}).context["form"]
    assert form.initial["grid"] == grids[0]
    log_visit(grids[0], date=WEDNESDAY.date())
    page = home(cast, "grid_worker")
    assert f"已走访 1 / {len(grids)}" in page
    assert log_visit_button(page) == f"/grids/visits/new/?grid={grids[1 if len(grids) > 1 else 0].pk}"


def test_a_grid_worker_is_shown_what_waits_for_their_check_on_site(cast, liuheng_grid_with_unit_problem):
    problem = liuheng_grid_with_unit_problem
    unit = cast.agriculture_unit
    for step in (actions.do_sign_for, actions.do_start):
        problem = step(problem, by=unit, version=problem.version)
    actions.do_feed_back(problem, by=unit, version=problem.version, outcome="已联系收购")
    page = home(cast, "grid_worker")
    assert 'id="to-verify"' in page and "1 个待现场核查" in page


@pytest.fixture
def liuheng_grid_with_unit_problem(cast):
    grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    problem = report_problem(grid, category="livelihood", description="台风后葡萄滞销两千斤")
    problem = actions.do_accept(problem, by=cast.liuheng_staff, version=problem.version)
    return actions.do_dispatch(problem, by=cast.liuheng_staff, version=problem.version,
                               organisation=Organisation.objects.get(name="舟山市普陀区农业农村局"))


def test_a_units_home_lists_what_is_dispatched_to_it_and_another_units_does_not(cast, liuheng_grid_with_unit_problem):
    problem = liuheng_grid_with_unit_problem
    page = home(cast, "agriculture_unit")
    assert 'id="grid-in-hand"' in page and "派遣至舟山市普陀区农业农村局的网格问题" in page
    assert f'href="/grids/problems/{problem.pk}/"' in page and "待签收 1 个" in page
    assert 'id="master-data"' not in page and API_DOCS not in page
    other = home(cast, "justice_unit")
    assert f'href="/grids/problems/{problem.pk}/"' not in other and "暂无待办" in other
    # the town that dispatches sees what waits to be accepted
    assert 'id="grid-to-accept"' in home(cast, "liuheng_staff")


@pytest.mark.parametrize("username", ["mediator_wang", "putuo_leader", "bank_operator", "court_liaison",
                                      "putuo_clerk", "putuo_staff"])
def test_each_role_meets_its_own_work(cast, username):
    page = home(cast, username)
    tiles = {
        "mediator_wang": ["我的在办案件"],  # their cases
        "putuo_leader": ['id="stats-tile"', "领导驾驶舱"],  # the dashboard's head figure and link
        "bank_operator": ['id="finance-tile"', "我的在办案件"],  # the bank's desk (batches) and cases
        "court_liaison": ['href="/cases/'],  # its queue
        "putuo_clerk": ["我的在办案件", 'id="master-data"'],
        "putuo_staff": ["我的在办案件", 'id="master-data"', 'id="grid-to-accept"'],
    }[username]
    for tile in tiles:
        assert tile in page, (username, tile)
    assert 'id="grid-week"' not in page  # no visits to log


def test_the_api_documentation_is_linked_only_for_roles_that_use_the_api(cast):
    from yiwang.testing import CAST

    linked = {name for name in CAST if API_DOCS in home(cast, name)}
    assert linked == {name for name in CAST if user_can(getattr(cast, name), "api.use")}
    assert {"admin", "bank_operator", "court_liaison"} <= linked
    assert not linked & {"grid_worker", "mediator_wang", "putuo_leader", "liuheng_clerk", "agriculture_unit"}


def test_the_district_centre_has_a_window_clerk(cast):
    grant = cast.putuo_clerk.grants.get()
    assert (grant.role_id, grant.area_id, grant.centre.code) == ("window_clerk", "330903", "PT")
    assert cast.client("putuo_clerk").get(reverse("cases:intake")).status_code == 200


def test_every_page_carries_the_favicon_from_the_sites_own_static_files(cast):
    page = home(cast, "grid_worker")
    assert 'rel="icon" href="/static/yiwang/favicon.svg"' in page
    assert finders.find("yiwang/favicon.svg")


def test_the_browsers_own_favicon_request_is_sent_to_the_static_icon(client):
    # A browser showing a PDF or a JSON answer asks for /favicon.ico itself; it must not meet a 404.
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/yiwang/favicon.svg")
