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


def test_the_demo_figures_look_like_a_district(cast):
    """普陀's seed runs 7.83% below the year before: the demo's year to date runs a little below last
    year's (when enough of the year has passed to say), no month's intake is one batch, and grid problems
    come in every month since 2 January last year."""
    import datetime as dt
    from statistics import median

    from django.utils import timezone

    from yiwang.stats.figures import get_case_figures, get_monthly_received

    today = timezone.localdate()
    figures = get_case_figures("330903", today.replace(month=1, day=1), today)
    if (today - today.replace(month=1, day=1)).days >= 120:
        assert -20 < figures["yoy_change_percent"] < 0, figures["yoy_change_percent"]
    months, month = [], dt.date(today.year - 1, 1, 1)
    while month < today.replace(day=1):  # full months only
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    rows = get_monthly_received("330903", months)
    cases = [n for _m, n, _p in rows]
    problems = [p for _m, _n, p in rows]
    assert max(cases) <= 2.5 * median(cases), cases
    assert min(problems) > 0 and max(problems) <= 2.5 * median(problems), problems
