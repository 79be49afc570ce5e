"""What other apps do when a case, a problem or a visit changes runs in the action's transaction through
yiwang.core.hooks: every app connects what it must, and a failing handler rolls the action back with
its statistics."""

import pytest
from django.db import transaction

from yiwang.cases import actions
from yiwang.cases.models import Case, CaseEvent, EventKind, Status
from yiwang.cases.tests.test_pages_case import register
from yiwang.core import hooks
from yiwang.grids import actions as grid_actions
from yiwang.online import actions as online_actions
from yiwang.stats import aggregates
from yiwang.stats.models import CaseSignature, Cell


class Boom(Exception):
    pass


@pytest.fixture
def failing(request):
    """Connect a handler that raises to the hook named by the test's parameter, for this test only."""
    seen = []

    def handler(*args):
        seen.append(args)
        raise Boom

    hook = request.param
    hook.connect(handler)
    yield seen
    hook.disconnect(handler)


def test_every_app_follows_what_it_must():
    assert {aggregates.follow_case, grid_actions.follow_case, online_actions.follow_refusal} <= set(
        hooks.case_changed.handlers)
    assert aggregates.follow_problem in hooks.problem_changed.handlers
    assert aggregates.follow_visit in hooks.visit_changed.handlers


@pytest.mark.parametrize("failing", [hooks.case_changed], indirect=True)
def test_a_failing_case_hook_rolls_the_registration_back(cast, failing):
    cells, cases = Cell.objects.count(), Case.objects.count()
    with pytest.raises(Boom):
        register(cast)
    assert failing and isinstance(failing[0][0], Case) and failing[0][1].kind == EventKind.REGISTERED
    assert (Cell.objects.count(), Case.objects.count()) == (cells, cases)


def test_a_failing_case_hook_rolls_a_step_back_with_its_statistics(cast):
    case = register(cast)
    signature = CaseSignature.objects.get(pk=case.pk)

    def boom(case, event):
        raise Boom

    hooks.case_changed.connect(boom)
    try:
        with pytest.raises(Boom):
            actions.do_not_accept(case, by=cast.liuheng_clerk, reason="不属于受理范围", redirect="劳动仲裁委员会")
    finally:
        hooks.case_changed.disconnect(boom)
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.events.count() == 1
    assert CaseSignature.objects.get(pk=case.pk) == signature and signature.outcome == ""
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOT_ACCEPTED).exists()


@pytest.mark.parametrize("failing", [hooks.problem_changed], indirect=True)
def test_a_failing_problem_hook_rolls_the_report_back(cast, failing):
    from yiwang.accounts.demo import grid_worker_area
    from yiwang.grids.models import Grid, Problem

    grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    problems = Problem.objects.count()
    with pytest.raises(Boom):
        grid_actions.do_report_problem(grid, by=cast.grid_worker, category="safety", description="电线老化")
    assert failing and failing[0][0] is None and Problem.objects.count() == problems


def test_a_case_event_of_an_unknown_kind_is_refused(cast):
    case = register(cast)
    with pytest.raises(ValueError), transaction.atomic():
        actions._event(case, cast.liuheng_clerk, "made_up", permission="case.intake")
    assert case.events.count() == 1
