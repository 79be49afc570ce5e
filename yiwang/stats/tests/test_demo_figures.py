"""The demo's statistics (rebuilt after its bulk load) equal direct counts over its raw rows."""

import pytest

from yiwang.cases.models import Case
from yiwang.grids.models import Problem
from yiwang.stats.tests.test_aggregates import assert_cases_match, assert_grids_match

pytestmark = [pytest.mark.usefixtures("full_demo"), pytest.mark.xdist_group("demo_stats")]


def test_the_demo_figures_equal_direct_counts(cast):
    assert Case.objects.exists() and Problem.objects.exists()
    assert_cases_match()
    assert_grids_match()
