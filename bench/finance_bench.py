#!/usr/bin/env python3
"""A bank's bulk submission end to end: a CSV of N rows (1 in 50 with a bad ID number) read, every row
checked, the good ones registered set-based (cases, parties, BankCase, timeline and audit events,
statistics cells) and the row report written, as the `finance.batch` job does. Prints rows/s at each
size (10,000 and 100,000 by default) and the ratio. Each size starts from the master data alone.

    scripts/with_postgres.py .venv/bin/python bench/finance_bench.py [--sizes 10000,100000]
    .venv/bin/python bench/finance_bench.py --sqlite [--sizes 10000,100000]     # a throwaway SQLite file
"""

import argparse
import os
import random
import sys
import tempfile
import time

from common import setup_django


def fill_once():
    from yiwang.demo import DEMO_LOADERS  # noqa: F401 (the loaders' modules import cleanly)
    from yiwang.testing.world import load_master_data

    load_master_data()


def run(size: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from yiwang.cases.models import Case
    from yiwang.finance.actions import do_submit_batch, get_submitting_banks, process_batch
    from yiwang.finance.demo import sample_rows
    from yiwang.finance.models import Batch
    from yiwang.finance.reports import get_row_report
    from yiwang.finance.tests.helpers import csv_bytes
    from yiwang.testing.factories import user

    operator = user("bank_operator")
    bank = get_submitting_banks(operator)[0]
    rows = sample_rows(random.Random(size), size, prefix=f"B{size}", bad_every=50)
    data = csv_bytes(rows)
    before = Case.objects.count()
    started = time.perf_counter()
    batch = do_submit_batch(by=operator, bank=bank, file=SimpleUploadedFile("batch.csv", data))
    process_batch(Batch.objects.get(pk=batch.pk))
    processed = time.perf_counter()
    if not os.environ.get("NO_REPORT"):
        get_row_report(Batch.objects.get(pk=batch.pk))
    reported = time.perf_counter()
    batch = Batch.objects.get(pk=batch.pk)
    assert batch.status == "done", batch.error
    assert Case.objects.count() - before == batch.accepted
    seconds = processed - started
    return {"size": size, "seconds": seconds, "rows_per_s": size / seconds, "report_s": reported - processed,
            "accepted": batch.accepted, "rejected": batch.rejected, "vendor": connection.vendor}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--sqlite", action="store_true", help="run on a throwaway SQLite file")
    args = parser.parse_args()
    if args.sqlite:
        folder = tempfile.mkdtemp(prefix="finance-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="finance-bench-media-"))
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        call_command("flush", interactive=False, verbosity=0)
        fill_once()
        result = run(size)
        results.append(result)
        print(f"{connection.vendor}: {size:>7,} rows in {result['seconds']:6.1f} s = {result['rows_per_s']:7.0f} rows/s "
              f"({result['accepted']:,} accepted, {result['rejected']:,} rejected; row report {result['report_s']:.1f} s)",
              flush=True)
    if len(results) > 1:
        print(f"rows/s ratio {sizes[-1]:,} / {sizes[0]:,}: {results[-1]['rows_per_s'] / results[0]['rows_per_s']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
