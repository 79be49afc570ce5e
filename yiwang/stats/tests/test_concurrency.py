"""Concurrent intake in the same village on the same day writes the same cells at every level; the
increments must all land (no lost update), so the figures still equal the direct count."""


from django.utils import timezone

from yiwang.cases.tests.test_concurrency import run_at_once
from yiwang.stats.aggregates import rebuild
from yiwang.stats.figures import get_case_figures
from yiwang.stats.tests.reference import cases_direct
from yiwang.stats.tests.test_aggregates import register, village

WRITERS = 5


def test_concurrent_intake_loses_no_count(demo_tx):
    rebuild()  # the flushed-and-reloaded demo may have been written in bulk
    today = timezone.localdate()
    area = village()
    before = get_case_figures(area, today, today)["received"]
    results, errors = run_at_once([
        (lambda i=i: register(demo_tx, phone=f"1385700{i:04d}", area=area)) for i in range(WRITERS)
    ])
    assert not errors, errors
    for code in (area, area[:9], "330903", "33"):
        assert get_case_figures(code, today, today)["received"] == cases_direct(code, today, today)["received"]
    assert get_case_figures(area, today, today)["received"] == before + WRITERS
