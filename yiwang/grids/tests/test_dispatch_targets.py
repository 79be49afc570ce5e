"""Dispatch goes only to the units and teams the problem page offers: the district's units (not a bank
or a court) and the teams on the problem's own line of areas. A posted id naming a team in another town
is refused with a message and nothing changes — from the page's form and from the API alike."""

import pytest
from django.core.exceptions import ValidationError

from yiwang.areas.models import Organisation, OrganisationKind, Team
from yiwang.grids import actions
from yiwang.grids.models import State


@pytest.fixture
def accepted(cast, liuheng_grid, liuheng_staff):
    problem = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="environment",
                                        description="河道垃圾堆积")
    return actions.do_accept(problem, by=liuheng_staff, version=problem.version)


@pytest.fixture
def shenjiamen_team(demo):
    team = Team.objects.filter(active=True, area__code__startswith="330903001").order_by("pk").first()
    assert team is not None
    return team


def test_a_team_in_another_town_is_refused(accepted, liuheng_staff, shenjiamen_team):
    with pytest.raises(ValidationError) as error:
        actions.do_dispatch(accepted, by=liuheng_staff, version=accepted.version, team=shenjiamen_team)
    assert "team" in error.value.message_dict
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED and accepted.assigned_team_id is None


def test_a_bank_is_refused(accepted, liuheng_staff):
    bank = Organisation.objects.filter(kind=OrganisationKind.BANK).first()
    with pytest.raises(ValidationError) as error:
        actions.do_dispatch(accepted, by=liuheng_staff, version=accepted.version, organisation=bank)
    assert "organisation" in error.value.message_dict


def test_a_team_on_the_problems_own_line_is_accepted(accepted, liuheng_staff):
    _organisations, teams = actions.get_dispatch_targets(accepted)
    team = teams.first()
    assert team is not None
    dispatched = actions.do_dispatch(accepted, by=liuheng_staff, version=accepted.version, team=team)
    assert dispatched.state == State.DISPATCHED and dispatched.assigned_team == team


def test_the_api_answers_400_for_a_team_in_another_town(cast, accepted, shenjiamen_team):
    response = cast.api("liuheng_staff").post(
        f"/api/v1/grid-problems/{accepted.pk}/step/",
        {"step": "dispatch", "version": accepted.version, "team": shenjiamen_team.pk},
    )
    assert response.status_code == 400 and "team" in response.json()
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED


def test_the_page_refuses_a_team_in_another_town_with_a_message(cast, accepted, shenjiamen_team):
    response = cast.client("liuheng_staff").post(
        f"/grids/problems/{accepted.pk}/dispatch/", {"version": accepted.version, "team": shenjiamen_team.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
