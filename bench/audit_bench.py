#!/usr/bin/env python3
"""The cost of the audit log's hash chain on PostgreSQL: one audit row inserted as the actions insert it
(audit.actions.record: the chain's advisory lock, the head's hash read, the SHA-256 digest, the INSERT, each
in its own transaction) against a plain INSERT of the same row into the same table (same columns, indexes
and triggers; random hashes, no lock, no head read), measured in the same run. Then both with 1, 2 and 4
writers at once (each on its own connection): the chain's lock serialises writers, a plain insert does not.

    scripts/with_postgres.py .venv/bin/python bench/audit_bench.py [--rows 2000]

Wall-clock figures on a shared machine: read the ratios, which are taken in the same run.
"""

import argparse
import secrets
import threading
import time

from common import setup_django


def chained(n: int, tag: str) -> None:
    from django.db import transaction

    from yiwang.audit.actions import record

    for i in range(n):
        with transaction.atomic():
            record(None, "bench.audit", area_code="330903", actor_name="bench", tag=tag, n=i, reason="复核通过")


def plain(n: int, tag: str) -> None:
    from django.db import models, transaction

    from yiwang.audit.models import AuditEvent

    for i in range(n):
        with transaction.atomic():
            event = AuditEvent(actor=None, actor_name="bench", verb="bench.audit", area_code="330903",
                               detail={"tag": tag, "n": i, "reason": "复核通过"},
                               prev_hash=secrets.token_hex(32), hash=secrets.token_hex(32))
            models.Model.save(event)  # AuditEvent.save without chain.seal: the same INSERT, unchained


def run(fn, writers: int, rows: int, tag: str) -> float:
    """Rows per second with `writers` threads writing rows // writers each."""
    from django.db import connection

    errors = []

    def work(k):
        try:
            fn(rows // writers, f"{tag}-{k}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return (rows // writers) * writers / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    chained(50, "warm")
    plain(50, "warm")
    print(f"audit insert on PostgreSQL {connection.pg_version}, {args.rows} rows per measurement (machine shared: "
          "wall clock, read the ratios)")
    print(f"{'writers':>8}{'chained rows/s':>16}{'µs/row':>10}{'plain rows/s':>14}{'µs/row':>10}{'chain/plain':>13}")
    results = {}
    for writers in (1, 2, 4):
        # Alternate the two so that a burst of load elsewhere falls on both.
        c1 = run(chained, writers, args.rows // 2, f"c{writers}a")
        p1 = run(plain, writers, args.rows // 2, f"p{writers}a")
        c2 = run(chained, writers, args.rows // 2, f"c{writers}b")
        p2 = run(plain, writers, args.rows // 2, f"p{writers}b")
        c, p = (c1 + c2) / 2, (p1 + p2) / 2
        results[writers] = (c, p)
        print(f"{writers:>8}{c:>16.0f}{1e6 / c:>10.0f}{p:>14.0f}{1e6 / p:>10.0f}{p / c:>12.2f}×")


if __name__ == "__main__":
    main()
