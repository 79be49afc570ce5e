"""Two dispatchers acting on one problem at the same moment, in two real transactions: exactly one
step lands, the other is refused as stale, and the timeline holds only the winner's step."""

import pytest

from yiwang.accounts.demo import grid_worker_area
from yiwang.accounts.models import User
from yiwang.cases.tests.test_concurrency import run_at_once
from yiwang.grids import actions
from yiwang.grids.models import Grid, Problem, State


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_never_overwrite_each_other(demo_tx):
    grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    problem = actions.do_report_problem(grid, by=demo_tx.grid_worker, category="environment",
                                        description="并发处置测试：河道漂浮物")
    town, district = User.objects.get(username="liuheng_staff"), demo_tx.putuo_staff
    seen_by_town, seen_by_district = Problem.objects.get(pk=problem.pk), Problem.objects.get(pk=problem.pk)
    results, errors = run_at_once([
        lambda: actions.do_accept(seen_by_town, by=town, version=seen_by_town.version).state,
        lambda: actions.do_mark_invalid(seen_by_district, by=district, version=seen_by_district.version,
                                        reason="重复上报").state,
    ])
    assert len(errors) == 1 and isinstance(errors[0], actions.StaleProblem), errors
    winner = next(r for r in results if r)
    problem.refresh_from_db()
    assert problem.state == winner and problem.version == 2
    assert problem.events.exclude(to_state=State.REPORTED).count() == 1
