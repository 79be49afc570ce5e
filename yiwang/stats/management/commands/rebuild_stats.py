"""`yiwang rebuild_stats`: recompute every statistics cell from the raw rows (after a bulk load)."""

import time

from django.core.management.base import BaseCommand

from yiwang.stats.aggregates import rebuild


class Command(BaseCommand):
    help = "Recompute the statistics aggregates from the cases, problems and visits tables."

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuild(out=self.stdout.write)
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s")
