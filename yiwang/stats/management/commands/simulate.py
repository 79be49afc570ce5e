"""`yiwang simulate --years 3 --cases 100000 --problems 500000`: fill the database with synthetic
cases and grid problems across 浙江省 (see yiwang.stats.simulate), then rebuild the statistics."""

import random
import time

from django.core.management.base import BaseCommand

from yiwang.stats import simulate
from yiwang.stats.aggregates import rebuild


class Command(BaseCommand):
    help = "Fill the database with synthetic cases and grid problems across 浙江省, then rebuild statistics."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--problems", type=int, default=50_000)
        parser.add_argument("--visits", type=int, default=None, help="grid visits (default: problems ÷ 4)")
        parser.add_argument("--seed", type=int, default=20261128)

    def handle(self, *args, years, cases, problems, visits, seed, **options):
        if years < 1 or cases < 0 or problems < 0:
            self.stderr.write("--years must be at least 1; counts cannot be negative")
            return
        started = time.monotonic()
        rng = random.Random(seed)
        out = self.stdout.write
        world = simulate.World(out)
        simulate.fill_cases(world, cases, years, rng, out)
        simulate.fill_problems(world, problems, years, rng, out)
        visits = problems // 4 if visits is None else visits
        simulate.fill_visits(world, visits, years, rng, out)
        out(f"filled {cases:,} cases, {problems:,} problems and {visits:,} visits in "
            f"{time.monotonic() - started:.0f} s")
        rebuild(out)
        out(f"done in {time.monotonic() - started:.0f} s")
