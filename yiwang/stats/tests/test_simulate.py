"""`yiwang simulate` fills 浙江省 with cases and problems in bulk and leaves the statistics exact."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from yiwang.cases.models import Case
from yiwang.grids.models import Problem, Visit
from yiwang.stats.figures import get_case_figures, get_grid_figures
from yiwang.stats.tests.reference import cases_direct, grids_direct


def test_simulate_fills_the_province_and_rebuilds_the_statistics(cast):
    cases, problems, visits = Case.objects.count(), Problem.objects.count(), Visit.objects.count()
    out = io.StringIO()
    call_command("simulate", years=2, cases=400, problems=800, stdout=out)
    assert Case.objects.count() == cases + 400 and Problem.objects.count() == problems + 800
    assert Visit.objects.count() == visits + 200  # a quarter of the problems
    assert Case.objects.exclude(area__code__startswith="3309").exists()  # beyond 舟山
    today = timezone.localdate()
    for area in ("33", "3301", Case.objects.exclude(area__code__startswith="3309").first().area_id[:9]):
        for start, end in ((today - dt.timedelta(days=730), today), (dt.date(today.year, 2, 1), today)):
            expected = cases_direct(area, start, end)
            got = get_case_figures(area, start, end)
            assert {k: got[k] for k in expected} == expected, (area, start, end)
            expected = grids_direct(area, start, end)
            got = get_grid_figures(area, start, end)
            assert {k: got[k] for k in expected} == expected, (area, start, end)
    assert "statistics rebuilt" in out.getvalue()
