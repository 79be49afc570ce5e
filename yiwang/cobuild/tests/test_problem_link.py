"""A livelihood need found on a grid becomes a demand in one step; the problem page shows the demand
and, when it closes, its closure."""

import pytest

from yiwang.cobuild import actions
from yiwang.cobuild.models import Demand
from yiwang.cobuild.tests.helpers import walk
from yiwang.core import errors
from yiwang.grids.models import Grid
from yiwang.testing import factories as f

pytestmark = pytest.mark.django_db


def _grid():
    from yiwang.accounts.demo import grid_worker_area

    return Grid.objects.filter(area=grid_worker_area()).order_by("code").first()


def _livelihood():
    return f.report_problem(_grid(), category="livelihood", description="台风后果园水果滞销，农户急需销路")


def test_a_livelihood_problem_becomes_a_demand_linked_both_ways(co):
    problem = _livelihood()
    demand = actions.do_raise_from_problem(problem, by=co.liuheng_community, title="水果滞销", category="produce",
                                           size=30, contact_phone="13805801234")
    assert demand.problem == problem and problem.cobuild_demand == demand
    assert (demand.area_id, demand.description) == (problem.area_id, problem.description)
    with pytest.raises(errors.IllegalTransition):
        actions.do_raise_from_problem(problem, by=co.liuheng_community)
    assert Demand.objects.filter(problem=problem).count() == 1


def test_only_a_livelihood_problem_becomes_a_demand(co):
    problem = f.report_problem(_grid(), category="environment")
    with pytest.raises(errors.IllegalTransition):
        actions.do_raise_from_problem(problem, by=co.liuheng_community)
    assert not Demand.objects.exists()


def test_the_problem_page_offers_the_step_then_shows_the_closure(co):
    problem = _livelihood()
    client = co.client("liuheng_community")
    page = client.get(f"/grids/problems/{problem.pk}/").content.decode()
    assert 'id="raise-demand"' in page
    response = client.post(f"/cobuild/demands/new/?problem={problem.pk}", {
        "title": "水果滞销", "category": "produce", "size": "30", "needed_from": "2026-03-01",
        "needed_until": "2026-03-31", "contact_name": "陈先生", "contact_phone": "13805801234"})
    demand = Demand.objects.get(problem=problem)
    assert response.status_code == 302 and response["Location"] == f"/cobuild/demands/{demand.pk}/"
    walk(demand, "close")
    page = client.get(f"/grids/problems/{problem.pk}/").content.decode()
    from django.utils import translation

    from yiwang.cobuild.models import DemandState

    with translation.override("zh-hans"):
        closed = str(DemandState.CLOSED.label)
    assert 'id="cobuild-demand"' in page and "舟山市普陀区司法局" in page
    assert f'<span class="tag" id="demand-state">{closed}</span>' in page
    assert "举办农产品推销会" in page  # the report of what was done
