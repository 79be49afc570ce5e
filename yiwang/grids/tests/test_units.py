"""Grid work reaches the unit that does it: a problem dispatched to a district unit (区农业农村局) is signed for
and handled by that unit's own accounts (the partner_unit role, a grant limited to the unit), who see only
what is dispatched to them; the grid worker who found it verifies on site and closes it."""

import pytest
from django.urls import reverse

from yiwang.areas.models import Organisation
from yiwang.core.errors import PermissionRefused
from yiwang.grids import actions
from yiwang.grids.models import Problem, State
from yiwang.testing import assert_not_found_for
from yiwang.testing.factories import log_visit, report_problem

AGRICULTURE = "舟山市普陀区农业农村局"


@pytest.fixture
def agriculture(demo):
    return Organisation.objects.get(name=AGRICULTURE)


@pytest.fixture
def unsold(cast, liuheng_grid, agriculture):
    """Unsold oranges after a typhoon, found by the grid worker and dispatched by 六横 to 区农业农村局."""
    problem = report_problem(liuheng_grid, category="livelihood", description="台风后柑橘滞销约三千斤")
    problem = actions.do_accept(problem, by=cast.liuheng_staff, version=problem.version)
    return actions.do_dispatch(problem, by=cast.liuheng_staff, version=problem.version, organisation=agriculture)


def test_the_units_account_signs_for_it_and_the_grid_worker_may_not(cast, unsold):
    assert actions.get_available_steps(cast.grid_worker, unsold) == []
    with pytest.raises(PermissionRefused) as refused:
        actions.do_sign_for(unsold, by=cast.grid_worker, version=unsold.version)
    assert AGRICULTURE in str(refused.value)
    assert Problem.objects.get(pk=unsold.pk).version == unsold.version  # nothing changed
    # another unit's account does not even see it
    assert_not_found_for(cast.client("justice_unit"), reverse("grids:problem_detail", args=[unsold.pk]))
    assert cast.client("justice_unit").post(reverse("grids:problem_step", args=[unsold.pk, "sign_for"]),
                                            {"version": unsold.version}).status_code == 404
    with pytest.raises(PermissionRefused):
        actions.do_sign_for(unsold, by=cast.justice_unit, version=unsold.version)

    unit = cast.client("agriculture_unit")
    page = unit.get(reverse("grids:problem_detail", args=[unsold.pk])).content.decode()
    assert 'id="step-sign_for"' in page and 'id="step-return"' in page
    response = unit.post(reverse("grids:problem_step", args=[unsold.pk, "sign_for"]), {"version": unsold.version})
    assert response.status_code == 302
    unsold.refresh_from_db()
    assert unsold.state == State.SIGNED_FOR
    assert unsold.events.get(verb="sign_for").actor.username == "agriculture_unit"


def test_a_units_account_sees_only_what_is_dispatched_to_it(cast, liuheng_grid, unsold):
    other = report_problem(liuheng_grid, description="路灯损坏")  # same village, not dispatched to the unit
    visit = log_visit(liuheng_grid)
    unit = cast.client("agriculture_unit")
    listed = [p.pk for p in unit.get(reverse("grids:problem_list")).context["page"]]
    assert listed == [unsold.pk]
    assert_not_found_for(unit, reverse("grids:problem_detail", args=[other.pk]))
    assert_not_found_for(unit, reverse("grids:visit_detail", args=[visit.pk]))
    api = [row["id"] for row in cast.api("agriculture_unit").get("/api/v1/grid-problems/").json()["results"]]
    assert api == [unsold.pk]
    assert unit.get(reverse("grids:visit_new")).status_code == 403  # the unit logs no visits


def test_the_grid_worker_who_found_it_verifies_on_site_and_closes_it(cast, unsold, shenjiamen_gridder):
    unit = cast.agriculture_unit
    signed = actions.do_sign_for(unsold, by=unit, version=unsold.version)
    started = actions.do_start(signed, by=unit, version=signed.version)
    fed_back = actions.do_feed_back(started, by=unit, version=started.version, outcome="已对接助农直播，柑橘售完")
    assert actions.get_available_steps(cast.agriculture_unit, fed_back) == []  # the unit does not check itself
    with pytest.raises(PermissionRefused):
        actions.do_verify(fed_back, by=cast.agriculture_unit, version=fed_back.version)
    with pytest.raises(PermissionRefused):  # a grid worker of another town neither
        actions.do_verify(fed_back, by=shenjiamen_gridder, version=fed_back.version)
    assert actions.get_available_steps(cast.grid_worker, fed_back) == ["verify"]
    verifying = actions.do_verify(fed_back, by=cast.grid_worker, version=fed_back.version)
    assert actions.get_available_steps(cast.grid_worker, verifying) == ["close", "reject_verification"]
    closed = actions.do_close(verifying, by=cast.grid_worker, version=verifying.version)
    assert closed.state == State.CLOSED and closed.closed_at is not None


def test_a_problem_dispatched_to_the_grid_team_is_the_grid_workers_to_handle(cast, liuheng_grid):
    problem = report_problem(liuheng_grid)
    problem = actions.do_accept(problem, by=cast.liuheng_staff, version=problem.version)
    team = liuheng_grid.teams.order_by("pk").first()
    problem = actions.do_dispatch(problem, by=cast.liuheng_staff, version=problem.version, team=team)
    assert "sign_for" in actions.get_available_steps(cast.grid_worker, problem)
    assert actions.get_available_steps(cast.agriculture_unit, problem) == []
    with pytest.raises(PermissionRefused):
        actions.do_sign_for(problem, by=cast.agriculture_unit, version=problem.version)
    assert actions.do_sign_for(problem, by=cast.grid_worker, version=problem.version).state == State.SIGNED_FOR
