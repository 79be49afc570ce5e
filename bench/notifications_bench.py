#!/usr/bin/env python3
"""Delivering a bank batch's notices: 10,000 SMS to borrowers written to the outbox (in the batch's own
transactions, as the bank's submission would) and sent by the worker's delivery run (core.outbox.deliver_due:
one conditional UPDATE … RETURNING claims a batch of due rows, YIWANG_OUTBOX_CLAIM_BATCH; the transport sends
each and an UPDATE records each outcome), against the in-memory SMS backend so that the figure is the
platform's, not a gateway's. Then the same run with two workers at once, which must send each message
exactly once.

    scripts/with_postgres.py .venv/bin/python bench/notifications_bench.py [--count 10000]
"""

import argparse
import threading
import time

from common import setup_django


def write(count: int, prefix: str) -> float:
    from django.db import transaction

    from yiwang.core import outbox

    outbox._after_commit = lambda enqueue: None  # the bench runs the worker's delivery itself, timed
    started = time.perf_counter()
    for start in range(0, count, 1000):
        with transaction.atomic():
            for n in range(start, min(count, start + 1000)):
                outbox.notify("sms", f"139{n:08d}", f"浙江普陀农商银行：您的借款纠纷已提交普陀区社会治理中心调解，案号普陀调〔2026〕{n}号。",
                              key=f"{prefix}:{n}")
    return time.perf_counter() - started


def deliver(workers: int) -> float:
    from django.db import connection

    from yiwang.core.outbox import deliver_due

    def run():
        try:
            deliver_due()
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    count = parser.parse_args().count
    setup_django()
    from django.conf import settings

    from yiwang.core.models import Notification
    from yiwang.online.sms import MemoryBackend

    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    Notification.objects.all().delete()
    print(f"{count:,} SMS notices through the outbox ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})")
    for workers in (1, 2):
        MemoryBackend.outbox.clear()
        written = write(count, f"bench{workers}")
        sent = deliver(workers)
        rows = Notification.objects.filter(dedupe_key__startswith=f"bench{workers}:")
        assert rows.filter(status="sent").count() == count, "not every row was sent"
        assert len(MemoryBackend.outbox) == count, f"{len(MemoryBackend.outbox)} messages for {count} rows"
        print(f"  {workers} worker(s): written {count / written:8,.0f} rows/s   delivered {count / sent:8,.0f} rows/s"
              f"   ({written:.1f} s + {sent:.1f} s), each sent once")


if __name__ == "__main__":
    main()
