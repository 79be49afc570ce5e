"""The factories reach every state they promise, through the actions, and the world holds no activity."""

import pytest

from yiwang.cases.models import Case, EventKind
from yiwang.grids.models import Grid, Problem, Visit
from yiwang.testing import factories


def test_the_test_world_holds_master_data_and_no_activity(demo):
    assert Grid.objects.exists() and demo.liuheng_clerk.grants.exists()
    assert not Case.objects.exists() and not Problem.objects.exists() and not Visit.objects.exists()


@pytest.mark.parametrize("status", sorted(factories.CASE_PATHS))
def test_make_case_reaches_every_state_keeping_the_invariants(demo, status):
    case = factories.make_case(status)
    assert case.status == status
    assert case.invariant_errors() == []
    # An agreement's step is drafted, then signed by each party and the mediator, then in effect (sealed).
    signing = case.events.filter(kind__in=[EventKind.AGREEMENT_DRAFTED, EventKind.AGREEMENT_SIGNED]).count()
    expected_signing = case.parties.count() + 2 if "record_agreement" in factories.CASE_PATHS[status] else 0
    assert signing == expected_signing
    assert case.events.count() == len(factories.CASE_PATHS[status]) + 1 + signing


@pytest.mark.parametrize("state", ["reported", *factories.PROBLEM_PATH])
def test_make_problem_reaches_every_state_of_the_main_path(demo, state):
    grid = Grid.objects.filter(area=factories.village()).order_by("code").first()
    assert factories.make_problem(grid, state).state == state
