#!/usr/bin/env python3
"""Intake through the REST API, profiled: queries per create, in-process p50/p95, CPU per create, and where
the time goes (cProfile, cumulative, the top functions).

    scripts/with_postgres.py .venv/bin/python bench/intake_profile.py [--size 3000] [--creates 60] [--profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cases_bench import World, case_body  # noqa: E402
from common import percentiles, setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--creates", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="print the cProfile of the timed creates")
    parser.add_argument("--page", action="store_true", help="also count the case page's queries")
    parser.add_argument("--sql", action="store_true", help="print each query of one create (and page)")
    args = parser.parse_args()
    os.environ.setdefault("YIWANG_TWO_FACTOR", "optional")  # the page is read by a signed-in staff member
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from yiwang.testing import issue_test_token

    rng = random.Random(20261203)
    world = World()
    world.fill_to(args.size, rng)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issue_test_token(world.clerk)}")

    def create(i):
        response = api.post("/api/v1/cases/", case_body(world, rng, i), format="json")
        assert response.status_code == 201, response.content[:500]
        return response

    for i in range(5):
        create(-1 - i)
    with CaptureQueriesContext(connection) as captured:
        create(0)
    print(f"queries per create: {len(captured.captured_queries)}")
    if args.sql:
        for q in captured.captured_queries:
            print("  ", q["sql"][:220])
    samples, cpu = [], []
    profiler = cProfile.Profile() if args.profile else None
    for i in range(1, args.creates + 1):
        wall, started_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        create(i)
        if profiler:
            profiler.disable()
        cpu.append((time.process_time() - started_cpu) * 1000)
        samples.append((time.perf_counter() - wall) * 1000)
    p50, p95 = percentiles(samples)
    c50, c95 = percentiles(cpu)
    print(f"create ({args.creates} at {args.size:,} cases): wall p50 {p50:.1f} ms p95 {p95:.1f} ms; "
          f"CPU p50 {c50:.1f} ms p95 {c95:.1f} ms mean {sum(cpu) / len(cpu):.1f} ms")
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(70)
        print(out.getvalue())
    if args.page:
        from yiwang.cases.models import Case
        case = Case.objects.filter(centre=world.town_centre).order_by("-id").first()
        page = Client()
        page.force_login(world.town_staff)
        page.get(f"/cases/{case.pk}/")
        with CaptureQueriesContext(connection) as captured:
            response = page.get(f"/cases/{case.pk}/")
        assert response.status_code == 200, (response.status_code, response.get("Location"))
        print(f"queries on the case page: {len(captured.captured_queries)}")
        if args.sql:
            for q in captured.captured_queries:
                print("  ", q["sql"][:220])


if __name__ == "__main__":
    main()
