"""Grid figures equal direct counts after every step: reports, triage to a grid, invalid, closing,
visits logged; rows deleted past the actions, then `rebuild_stats`; and the incremental cells equal a full
rebuild."""

import datetime as dt

from yiwang.accounts.demo import grid_worker_area
from yiwang.areas.models import Organisation
from yiwang.grids import actions
from yiwang.grids.models import Grid, Open311Key, Problem, Visit
from yiwang.stats.aggregates import rebuild
from yiwang.stats.figures import get_grid_figures
from yiwang.stats.tests.reference import grids_direct
from yiwang.stats.tests.test_aggregates import (
    areas_to_check,
    assert_rebuild_changes_nothing,
    standard_periods,
    today,
)


def assert_grids_match():
    for area in [*areas_to_check(), grid_worker_area().code]:
        for start, end in [*standard_periods(), (today(), today())]:
            expected = grids_direct(area, start, end)
            figures = get_grid_figures(area, start, end)
            assert {k: figures[k] for k in expected} == expected, (area, start, end)


def walk(problem, staff, worker, unit, until="closed"):
    from yiwang.testing.factories import unit_account

    handler = unit_account(unit.name)  # a unit's problem is signed for and handled by the unit's account
    path = [
        lambda p: actions.do_accept(p, by=staff, version=p.version, tier="major"),
        lambda p: actions.do_dispatch(p, by=staff, version=p.version, organisation=unit),
        lambda p: actions.do_sign_for(p, by=handler, version=p.version),
        lambda p: actions.do_start(p, by=handler, version=p.version),
        lambda p: actions.do_feed_back(p, by=handler, version=p.version, outcome="已清理"),
        lambda p: actions.do_verify(p, by=staff, version=p.version),
        lambda p: actions.do_close(p, by=staff, version=p.version),
    ]
    for step in path:
        if problem.state == until:
            break
        problem = step(problem)
    return problem


def test_problems_and_visits_keep_the_figures_exact(cast):
    grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    staff, worker = cast.putuo_staff, cast.grid_worker
    unit = Organisation.objects.get(name="舟山市普陀区司法局")
    visit = actions.do_log_visit(grid, by=worker, date=today(), households_visited=12, problems=[
        actions.ProblemDraft(category="environment", description="河道垃圾堆积"),
        actions.ProblemDraft(category="safety", description="电线老化"),
    ])
    assert_grids_match()
    first, second = visit.problems.order_by("id")
    walk(first, staff, worker, unit)
    assert get_grid_figures(grid.area_id, today(), today())["cleared"] >= 1
    actions.do_mark_invalid(second, by=staff, version=second.version, reason="重复上报")
    assert_grids_match()
    # A hotline report nobody could place waits at the district, then is given its grid.
    triaged = actions.do_receive_request(Open311Key.objects.first(), category="livelihood",
                                         description="台风后水果滞销", address="不知道哪里")
    assert triaged.area_id == "330903"
    assert_grids_match()
    actions.do_accept(triaged, by=staff, version=triaged.version, grid=grid)
    assert_grids_match()
    # An old open problem ages in the backlog.
    actions.do_report_problem(grid, by=worker, category="dispute", description="邻里噪音")
    later = today() + dt.timedelta(days=40)
    figures = get_grid_figures(grid.area_id, today(), today(), today=later)
    assert figures["backlog_by_age"][">30"] == figures["backlog"] >= 2
    assert figures["backlog_mean_age_days"] == grids_direct(grid.area_id, today(), today(), today=later)[
        "backlog_mean_age_days"]
    assert_grids_match()
    assert_rebuild_changes_nothing()
    # No action deletes a visit or a problem; rows removed past the actions are made right by a rebuild.
    Visit.objects.filter(pk=visit.pk).delete()
    Problem.objects.filter(pk=first.pk).delete()
    rebuild()
    assert_grids_match()
    assert_rebuild_changes_nothing()
