#!/usr/bin/env python3
"""Statistics at province scale: p50/p95 of the leaders' dashboard page and of the stats API for 浙江省
(33), a county (330903 普陀区) and a town (330903100 六横镇), this year to date, at two sizes in one run,
with the ratio. Cases and grid problems are spread over every village of 浙江省 by yiwang.stats.simulate
(3 years, seasonal; grid visits a quarter of the problems), then `rebuild_stats`; the figures are read from the aggregates.

    scripts/with_postgres.py .venv/bin/python bench/stats_bench.py --sizes 100000:500000,1000000:5000000

Each size is CASES:PROBLEMS (the default pairs are the issue's 100k/500k and 1M/5M).
"""

import argparse
import datetime as dt
import random
import time

from common import percentiles, report, setup_django, timed

AREAS = [("浙江省", "33"), ("county 330903", "330903"), ("town 330903100", "330903100")]
REPEAT = 60
YEARS = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000:500000,1000000:5000000",
                        help="comma-separated CASES:PROBLEMS pairs, ascending")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    args = parser.parse_args()
    sizes = [tuple(int(n) for n in pair.split(":")) for pair in args.sizes.split(",")]
    setup_django()

    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    from yiwang.accounts.models import Grant, User
    from yiwang.stats import simulate
    from yiwang.stats.aggregates import rebuild
    from yiwang.stats.models import Cell
    from yiwang.testing import issue_test_token

    rng = random.Random(20261128)
    world = simulate.World()
    leader, _ = User.objects.get_or_create(username="bench_leader", defaults={"display_name": "bench leader"})
    Grant.objects.get_or_create(user=leader, role_id="leader", area_id="33")
    page = Client()
    page.force_login(leader)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_test_token(leader)}")
    today = timezone.localdate()
    period = f"start={today.year}-01-01&end={today:%Y-%m-%d}"

    rows: dict[str, dict[int, tuple[float, float]]] = {}
    filled_cases = filled_problems = 0
    for cases, problems in sizes:
        started = time.monotonic()
        simulate.fill_cases(world, cases - filled_cases, YEARS, rng)
        simulate.fill_problems(world, problems - filled_problems, YEARS, rng)
        simulate.fill_visits(world, (problems - filled_problems) // 4, YEARS, rng)
        filled_cases, filled_problems = cases, problems
        print(f"filled to {cases:,} cases / {problems:,} problems in {time.monotonic() - started:.0f} s", flush=True)
        started = time.monotonic()
        rebuild(print)
        print(f"rebuild_stats: {time.monotonic() - started:.0f} s, {Cell.objects.count():,} cells", flush=True)
        # Filling the larger size takes longer than a session's idle time: sign in afresh for each size.
        page.force_login(leader)
        for label, code in AREAS:
            def dashboard(i, code=code):
                response = page.get(f"/stats/{code}/?{period}")
                assert response.status_code == 200, response.status_code

            def stats_api(i, code=code):
                response = api.get(f"/api/v1/stats/cases/?area={code}&{period}")
                assert response.status_code == 200, response.content[:300]

            def grids_api(i, code=code):
                response = api.get(f"/api/v1/stats/grids/?area={code}&{period}")
                assert response.status_code == 200, response.content[:300]

            for name, fn in ((f"dashboard {label}", dashboard), (f"stats/cases API {label}", stats_api),
                             (f"stats/grids API {label}", grids_api)):
                rows.setdefault(name, {})[cases] = figures = percentiles(timed(fn, args.repeat))
                print(f"  {cases:>9,} cases  {name:<34} p50 {figures[0]:7.1f} ms  p95 {figures[1]:7.1f} ms",
                      flush=True)
        print(f"measured at {cases:,} cases", flush=True)
    print()
    print(report(f"statistics, {dt.date.today()} (sizes are cases; problems "
                 f"{' / '.join(f'{p:,}' for _c, p in sizes)})", rows, [c for c, _p in sizes]))


if __name__ == "__main__":
    main()
