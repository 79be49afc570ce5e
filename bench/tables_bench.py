#!/usr/bin/env python3
"""The tables that grow without bound (issue 21): partition them by month, or not? The audit log, the case
events, the notification outbox and the statistics day cells filled to each size with SQL generate_series
(no Python in the loop), then p50/p95 of what the application does with them, at each size, with the ratio.

    scripts/with_postgres.py .venv/bin/python bench/tables_bench.py --sizes 100000,10000000

Measured per table, at each size (the tables are topped up from one size to the next, so rows keep their
place in time):
  insert    one row as the application writes it, its own transaction: an audit event through the ORM
            (the hash chain's lock and head read included), a case event, an outbox row (its recipient
            encrypted, its blind index), a day-cell upsert of 45 cells (one case's change, yiwang.stats.aggregates)
  queries   audit: the chain's head, an object's latest 20 events, the per-IP hourly filing limit count;
            case events: a case's latest 20 and its whole timeline (cases API); outbox: the due rows a worker
            claims (core.outbox); cells: a month of day cells for 20 villages and 5 metrics (stats.figures)
Also each table's size on disk with its indexes, and the rows/s of the generate_series fill.

Generated rows: 9 s apart in time (10M rows ≈ 2.9 years); a case has 25 events interleaved with 6 other cases';
an audited object 5 events; 1 outbox row in 10,000 failed, 50 pending and due; cells for 200 villages ×
10 metrics a day. Foreign keys and triggers are off during the fill and the inserts (session_replication_role
= replica): a foreign-key check is one primary-key probe of the parent, the same at any size. The database is
scripts/with_postgres.py's (fsync off: the insert cost here is CPU and index maintenance, not the disk flush).
"""

import argparse
import datetime as dt
import random
import time

from common import percentiles, report, setup_django, timed

REPEAT = 200
EPOCH = "timestamptz '2023-01-01 00:00:00+00'"
AUDIT_VERBS = ["cases.intake", "cases.assign", "cases.transition", "online.filed", "accounts.login",
               "finance.batch_processed", "grids.problem_reported", "notifications.sent"]
CELL_METRICS = ["received", "closed", "agreed", "type", "channel", "overdue", "visits", "problems", "cleared",
                "satisfaction"]

FILL = {
    "audit_auditevent": f"""
        INSERT INTO audit_auditevent (at, actor_name, verb, object_type, object_id, object_repr, area_code, ip,
                                      user_agent, channel, detail, actor_id, prev_hash, hash)
        SELECT {EPOCH} + i * interval '9 seconds', 'bench',
               (ARRAY{AUDIT_VERBS!r})[1 + i %% {len(AUDIT_VERBS)}],
               (ARRAY['cases.case','finance.batch','accounts.user','grids.problem'])[1 + i %% 4],
               (i / 20)::text, 'object ' || (i / 20), '330903' || lpad((i %% 50)::text, 3, '0') || '000',
               ('10.' || (i / 65536 %% 256) || '.' || (i / 256 %% 256) || '.' || (i %% 256))::inet,
               'bench', 'web', '{{}}'::jsonb, NULL, md5((i - 1)::text) || md5(i::text), md5(i::text) || md5((i + 1)::text)
        FROM generate_series(%s, %s) AS i""",
    "cases_caseevent": f"""
        INSERT INTO cases_caseevent (kind, at, actor_name, from_status, to_status, reason, detail, actor_id, case_id)
        SELECT (ARRAY['received','assigned','note','transition'])[1 + i %% 4], {EPOCH} + i * interval '9 seconds',
               'bench', '', '', '', '{{}}'::jsonb, NULL, 1 + (i / 175) * 7 + i %% 7
        FROM generate_series(%s, %s) AS i""",
    "core_notification": f"""
        INSERT INTO core_notification (channel, recipient, text, secret, dedupe_key, about_id, area_code, status,
                                       attempts, next_attempt_at, claimed_at, last_error, created_at, sent_at,
                                       about_type_id, recipient_hash)
        SELECT 'sms', 'x', '您的纠纷已受理，案件编号 ' || i, false, 'bench-' || i, (i / 3)::text, '330903100',
               CASE WHEN i %% 10000 = 0 THEN 'failed' ELSE 'sent' END, 1, t, t, '', t, t, NULL,
               md5((i %% 100000)::text) || md5('x')
        FROM (SELECT i, {EPOCH} + i * interval '9 seconds' AS t FROM generate_series(%s, %s) AS i) AS g""",
    "stats_cell": f"""
        INSERT INTO stats_cell (area_code, grain, day, metric, key, n, total)
        SELECT '330903' || lpad((i %% 2000 %% 200)::text, 3, '0') || '000', 'd', date '2000-01-01' + (i / 2000)::int,
               (ARRAY{CELL_METRICS!r})[1 + i %% 2000 / 200], '', 1 + i %% 7, 0
        FROM generate_series(%s, %s) AS i
        ON CONFLICT (area_code, grain, day, metric, key) DO NOTHING""",
}
LABELS = {"audit_auditevent": "audit log", "cases_caseevent": "case events", "core_notification": "outbox",
          "stats_cell": "day cells"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,10000000", help="comma-separated row counts, ascending")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--tables", default=",".join(FILL), help="a comma-separated subset of " + ",".join(FILL))
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    tables = args.tables.split(",")
    setup_django()

    from django.db import connection, transaction
    from django.utils import timezone

    from yiwang.audit.models import AuditEvent
    from yiwang.cases.models import CaseEvent
    from yiwang.core.models import Notification

    rng = random.Random(21)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        for table in FILL:
            cursor.execute(f"SELECT count(*) FROM {table}")
            if cursor.fetchone()[0]:
                cursor.execute(f"TRUNCATE {table} CASCADE")  # the demo-free database has none; be sure

    def sql(statement, params=()):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def at(i: int) -> dt.datetime:
        return dt.datetime(2023, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=9 * i)

    def measurements(table: str, n: int) -> dict:
        """name → fn(i) for the table filled to n rows."""
        if table == "audit_auditevent":
            since = at(n) - dt.timedelta(hours=1)

            def insert(i):
                AuditEvent(verb="cases.transition", object_type="cases.case", object_id=str(n + 1000 + i),
                           object_repr="bench", area_code="330903100000", actor_name="bench", channel="web",
                           ip="10.9.9.9", detail={"from": "received", "to": "assigned"}).save()

            return {
                "insert (ORM, chained)": insert,
                "chain head": lambda i: sql("SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1"),
                "object's latest 20": lambda i: list(AuditEvent.objects.filter(
                    object_type="cases.case", object_id=str(rng.randrange(n // 20))).order_by("-at")[:20]),
                "IP's filings in the hour": lambda i: AuditEvent.objects.filter(
                    verb="online.filed", ip=f"10.{rng.randrange(2)}.{rng.randrange(256)}.{rng.randrange(256)}",
                    at__gte=since).count(),
            }
        if table == "cases_caseevent":
            cases = n // 25

            def insert(i):
                with transaction.atomic():
                    CaseEvent.objects.create(case_id=cases + 1 + i, kind="note", at=timezone.now(),
                                             actor_name="bench", detail={"permission": "cases.note"})

            return {
                "insert (ORM)": insert,
                "case's latest 20": lambda i: list(CaseEvent.objects.filter(
                    case_id=1 + rng.randrange(cases)).order_by("-at", "-id")[:20]),
                "case's whole timeline": lambda i: list(CaseEvent.objects.filter(
                    case_id=1 + rng.randrange(cases)).order_by("at", "id")),
            }
        if table == "core_notification":
            def insert(i):
                with transaction.atomic():
                    Notification.objects.create(channel="sms", recipient="13857001234", text="您的纠纷已受理",
                                                dedupe_key=f"insert-{n}-{i}-{rng.random()}", area_code="330903100")

            return {
                "insert (ORM, encrypted)": insert,
                "due rows to claim": lambda i: sql(
                    "SELECT id FROM core_notification WHERE status = 'pending' AND next_attempt_at <= %s "
                    "ORDER BY next_attempt_at, id LIMIT 50", [timezone.now()]),
            }
        days = n // 2000 - 1  # the last day with all its cells
        last = dt.date(2000, 1, 1) + dt.timedelta(days=days)
        villages = [f"330903{v:03d}000" for v in range(200)]
        metrics = CELL_METRICS[:5]

        def upsert(i):
            day = last - dt.timedelta(days=rng.randrange(30))
            rows = [(code, "d", day, metric, "", 1, 0) for code in sorted(rng.sample(villages, 9))
                    for metric in metrics]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
            with transaction.atomic():
                sql(f"INSERT INTO stats_cell (area_code, grain, day, metric, key, n, total) VALUES {values} "
                    "ON CONFLICT (area_code, grain, day, metric, key) DO UPDATE "
                    "SET n = stats_cell.n + excluded.n, total = stats_cell.total + excluded.total",
                    [value for row in rows for value in row])

        def month(i):
            codes = rng.sample(villages, 20)
            return sql("SELECT area_code, metric, key, sum(n), sum(total) FROM stats_cell WHERE area_code = ANY(%s) "
                       "AND grain = 'd' AND day BETWEEN %s AND %s AND metric = ANY(%s) GROUP BY 1, 2, 3",
                       [codes, last - dt.timedelta(days=30), last, metrics])

        return {"upsert 45 cells (one case)": upsert, "a month, 20 villages": month}

    rows: dict[str, dict[int, tuple[float, float]]] = {}
    notes: list[str] = []
    filled = dict.fromkeys(tables, 0)
    for n in sizes:
        for table in tables:
            started = time.perf_counter()
            with transaction.atomic():
                sql(FILL[table], [filled[table] + 1, n])
                if table == "core_notification":
                    sql("UPDATE core_notification SET status = 'pending', next_attempt_at = now() - interval '1 minute' "
                        "WHERE id IN (SELECT id FROM core_notification WHERE status = 'sent' ORDER BY id DESC LIMIT 50)")
            fill = time.perf_counter() - started
            sql(f"ANALYZE {table}")
            (count,), = sql(f"SELECT count(*) FROM {table}")
            (size,), = sql("SELECT pg_size_pretty(pg_total_relation_size(%s))", [table])
            notes.append(f"{LABELS[table]:<12} {count:>12,} rows  {size:>9} with indexes  filled "
                         f"{n - filled[table]:,} rows in {fill:.0f} s ({(n - filled[table]) / fill:,.0f} rows/s)")
            print(notes[-1], flush=True)
            filled[table] = n
            for name, fn in measurements(table, n).items():
                rows.setdefault(f"{LABELS[table]}: {name}", {})[n] = result = percentiles(timed(fn, args.repeat))
                print(f"    {name:<30} {result[0]:.2f} / {result[1]:.2f} ms", flush=True)
    plans = []
    explain = {"cases_caseevent": f"SELECT * FROM cases_caseevent WHERE case_id = {sizes[-1] // 50} ORDER BY at DESC, id DESC LIMIT 20",
               "audit_auditevent": "SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1"}
    for table, statement in explain.items():
        if table in tables:
            plan = sql("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + statement)
            plans.append(f"{statement}\n" + "\n".join("    " + line for (line,) in plan))
    print()
    print(report(f"Growing tables at {', '.join(f'{n:,}' for n in sizes)} rows (p50/p95 of {args.repeat} calls; "
                 "the machine is shared: ratios in the same run are the point)", rows, sizes))
    print()
    print("\n".join(notes))
    print()
    print("\n".join(plans))


if __name__ == "__main__":
    main()
