"""Keeping the statistics cells current, and rebuilding them from the raw rows.

A *fact* is one thing a row contributes to the statistics: (area code, day, metric, key, n, total,
levels). The facts of a row are a pure function of the row (case_facts, problem_facts, visit_facts).
A change to a row applies −(old facts) +(new facts) to the cells of the fact's area and of every
ancestor area, inside the transaction that changed the row: the owning app's actions call the hooks of
yiwang.core.hooks, and `follow_case`, `follow_problem`, `follow_visit` below answer them. A bulk load
that bypassed the actions is made right by `rebuild()` (command `yiwang rebuild_stats`).

What is stored where (`stores()`), so that reading an area for a period costs about the same whatever
the number of rows behind it:
- province, city, county: one cell per dimension value ("H" facts, marginals), day and month grain.
  A year for 浙江省 is 12 month rows per key.
- township and village, day grain: one *composite* cell per combination ("L" facts: a case's type,
  channel, tier, outcome, … joined by "|"), so a case or a problem writes one day cell per level instead
  of one per dimension; the reader splits the keys back into marginals (figures.expand_composites).
  Day cells are read only for the ragged ends of a period (and for a village's own page).
- township, month grain: marginals, as the levels above (a county's drill-down and a town's own figures
  read a fixed number of rows per month).
- village, month grain: only the marginals a drill-down row needs (VILLAGE_MONTH_METRICS), so a town's
  table of villages reads month cells too while the village level stays small.
Facts marked "*" are written at every level and grain, except `p_open`, which is read by day only.

Case facts, "H" (every one dated by the local date the case was received, Asia/Shanghai; merged duplicates
contribute only `merged`):
    merged/""                   a duplicate merged into another case (counted once, in the target)
    type/<dispute type code>    n=1 — the sum over keys is the number of cases received
    channel/<channel>, tier/<current tier>, outcome/<outcome, or "open" while there is none>
    trips/""                    n=1, total=in-person trips (最多跑一地)
    lb_outcome/<outcome|open>   the same, for litigation-bound dispute types only (诉前分流)
    closed/on_time|late|no_deadline   cases closed (archived, withdrawn, not accepted), by whether the
                                closing date was on or before the deadline in force when closed
    handling_days/<n>           n=1, total=working days from receipt to closing, for closed cases
    satisfaction/""             n=1, total=the follow-up score (1–5), for cases that have one
Case facts, "L": case/<type|channel|tier|outcome|litigation-bound 1/0|closed class|handling days|
    satisfaction> n=1, total=trips; merged/"" as above ("*").
Problem facts (dated by the local date reported, except p_cleared), "H":
    p_category/<category>, p_channel/<channel>, p_tier/<tier>   every problem reported
    p_invalid/""                problems found invalid
    p_open/<state>              problems not closed and not invalid (the backlog; its age is read
                                from the day) ("*")
    p_cleared/<category>        problems closed, dated by the local date they were closed ("*")
Problem facts, "L": problem/<category|channel|tier|"invalid" or ""> n=1.
Visit facts ("*"): visits/"" n=1, total=households visited, dated by the visit's date.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from yiwang.core.codes import CODE_LENGTH, ancestor_codes
from yiwang.stats.models import CaseSignature, Cell

ANCESTOR_LENGTHS = tuple(sorted(CODE_LENGTH.values()))  # province, city, county, township, village
HIGH_LENGTHS = (2, 4, 6)  # marginal cells at both grains; township and village keep composite day cells
VILLAGE_LENGTH = 12
GRAINS = ("d", "m")
# The marginals a village keeps by month: enough for its row in a town's drill-down table (received =
# the sum over outcomes, agreements, closed, problems found); with the "*" facts cleared and visits.
VILLAGE_MONTH_METRICS = frozenset({"outcome", "closed", "p_category"})
STAR_METRICS = frozenset({"merged", "p_open", "p_cleared", "visits"})  # the facts marked "*" below
DAY_ONLY_METRICS = frozenset({"p_open"})


def level_class(code: str) -> str:
    """ "H" where day cells hold marginals (province, city, county), "L" where they hold composites."""
    return "H" if len(code) in HIGH_LENGTHS else "L"


def stores(code: str, grain: str, metric: str, kind: str) -> bool:
    """Whether a fact of `kind` ("H" marginal, "L" composite, "*" both) for `metric` has a cell at the
    division `code` in `grain` (the table of the module docstring)."""
    if grain == "m" and metric in DAY_ONLY_METRICS:
        return False
    if kind == "*":
        return True
    if len(code) in HIGH_LENGTHS or grain == "m":
        return kind == "H" and (len(code) < VILLAGE_LENGTH or metric in VILLAGE_MONTH_METRICS)
    return kind == "L"


SIGNATURE_FIELDS = [f.attname for f in CaseSignature._meta.fields if f.attname != "case_id"]


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


# ----------------------------------------------------------------------------------------------- calendar


class WorkingDays:
    """Counts Chinese working days between two dates (core.calendar rules), memoised for bulk use."""

    def __init__(self):
        self._index: dict[dt.date, int] = {}
        self._start = self._end = None

    def _extend(self, start: dt.date, end: dt.date) -> None:
        from yiwang.core.calendar import get_overrides, is_working_day

        start, end = min(start, self._start or start), max(end, self._end or end)
        overrides = get_overrides(start, end)
        index, count, day = {}, 0, start
        while day <= end:
            if is_working_day(day, overrides):
                count += 1
            index[day] = count
            day += dt.timedelta(days=1)
        self._index, self._start, self._end = index, start, end

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when closed the day received)."""
        if end <= start:
            return 0
        if self._start is None or start < self._start or end > self._end:
            self._extend(start - dt.timedelta(days=30), end + dt.timedelta(days=30))
        return self._index[end] - self._index[start]


# ----------------------------------------------------------------------------------------------- facts


def get_case_signature(case, calendar: WorkingDays | None = None) -> dict:
    """What `case` counts as now (the fields of CaseSignature)."""
    from yiwang.cases.models import CLOSED_STATUSES, Status

    received_on = local_date(case.received_at)
    merged = case.status == Status.MERGED
    closed = case.status in CLOSED_STATUSES and not merged
    closed_on = local_date(case.closed_at) if closed else None
    on_time = handling_days = None
    if closed and closed_on is not None:
        on_time = None if case.deadline is None else closed_on <= case.deadline
        handling_days = (calendar or WorkingDays()).between(received_on, closed_on)
    return {
        "area_code": case.area_id, "received_on": received_on, "dispute_type": case.dispute_type.code,
        "litigation_bound": case.dispute_type.litigation_bound, "channel": case.channel, "tier": case.tier,
        "outcome": case.outcome, "merged": merged, "closed": closed, "on_time": on_time,
        "handling_days": handling_days, "visits": case.visits, "satisfaction": case.satisfaction,
    }


def _closed_class(sig: dict) -> str:
    if not sig["closed"]:
        return ""
    return "no_deadline" if sig["on_time"] is None else "on_time" if sig["on_time"] else "late"


def _blank(value) -> str:
    return "" if value is None else str(value)


def case_facts(sig: dict | None) -> list[tuple]:
    """The facts of one case signature: (area, day, metric, key, n, total, levels)."""
    if not sig:
        return []
    area, day = sig["area_code"], sig["received_on"]
    if sig["merged"]:
        return [(area, day, "merged", "", 1, 0, "*")]
    outcome = sig["outcome"] or "open"
    closed = _closed_class(sig)
    facts = [
        (area, day, "type", sig["dispute_type"], 1, 0, "H"),
        (area, day, "channel", sig["channel"], 1, 0, "H"),
        (area, day, "tier", sig["tier"], 1, 0, "H"),
        (area, day, "outcome", outcome, 1, 0, "H"),
        (area, day, "trips", "", 1, sig["visits"] or 0, "H"),
        (area, day, "case", "|".join([
            sig["dispute_type"], sig["channel"], sig["tier"], outcome, "1" if sig["litigation_bound"] else "0",
            closed, _blank(sig["handling_days"]), _blank(sig["satisfaction"])]), 1, sig["visits"] or 0, "L"),
    ]
    if sig["litigation_bound"]:
        facts.append((area, day, "lb_outcome", outcome, 1, 0, "H"))
    if closed:
        facts.append((area, day, "closed", closed, 1, 0, "H"))
        if sig["handling_days"] is not None:
            facts.append((area, day, "handling_days", str(sig["handling_days"]), 1, sig["handling_days"], "H"))
    if sig["satisfaction"] is not None:
        facts.append((area, day, "satisfaction", "", 1, sig["satisfaction"], "H"))
    return facts


def problem_facts(p: dict | None) -> list[tuple]:
    """The facts of one problem (a dict of its columns; None for none)."""
    from yiwang.grids.models import FINAL_STATES, State

    if not p:
        return []
    area, day = p["area_id"], local_date(p["reported_at"])
    invalid = p["state"] == State.INVALID
    facts = [
        (area, day, "p_category", p["category"], 1, 0, "H"),
        (area, day, "p_channel", p["channel"], 1, 0, "H"),
        (area, day, "p_tier", p["tier"], 1, 0, "H"),
        (area, day, "problem", "|".join([p["category"], p["channel"], p["tier"], "invalid" if invalid else ""]),
         1, 0, "L"),
    ]
    if invalid:
        facts.append((area, day, "p_invalid", "", 1, 0, "H"))
    elif p["state"] not in FINAL_STATES:
        facts.append((area, day, "p_open", p["state"], 1, 0, "*"))
    if p["state"] == State.CLOSED and p["closed_at"] is not None:
        facts.append((area, local_date(p["closed_at"]), "p_cleared", p["category"], 1, 0, "*"))
    return facts


PROBLEM_FIELDS = ("area_id", "reported_at", "category", "channel", "tier", "state", "closed_at")


def visit_facts(v: dict | None) -> list[tuple]:
    if not v:
        return []
    return [(v["area_id"], v["date"], "visits", "", 1, v["households_visited"] or 0, "*")]


VISIT_FIELDS = ("area_id", "date", "households_visited")


# ----------------------------------------------------------------------------------------------- writing


def _expand(facts: list[tuple], sign: int, into: dict) -> None:
    for area, day, metric, key, n, total, levels in facts:
        for code in ancestor_codes(area):
            for grain in GRAINS:
                if not stores(code, grain, metric, levels):
                    continue
                cell = into.setdefault((code, grain, day if grain == "d" else month_of(day), metric, key), [0, 0])
                cell[0] += sign * n
                cell[1] += sign * total


def apply_change(old: list[tuple], new: list[tuple]) -> int:
    """Subtract `old` facts and add `new` ones at every ancestor and both grains; returns the number
    of cells written. Cells are written in key order so concurrent writers cannot deadlock."""
    if sorted(old) == sorted(new):
        return 0
    deltas: dict = {}
    _expand(old, -1, deltas)
    _expand(new, +1, deltas)
    rows = [(code, grain, connection.ops.adapt_datefield_value(day), metric, key, n, total)
            for (code, grain, day, metric, key), (n, total) in sorted(deltas.items()) if n or total]
    if not rows:
        return 0
    table = Cell._meta.db_table
    # One multi-row statement per chunk (a case's facts at every ancestor level and both grains are ~45
    # cells: one round trip, not 45). The rows are distinct keys in key order, so a statement never meets
    # the same cell twice and concurrent writers still take the row locks in the same order.
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_CHUNK):
            chunk = rows[start:start + UPSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (area_code, grain, day, metric, key, n, total) VALUES {values} "
                f"ON CONFLICT (area_code, grain, day, metric, key) DO UPDATE "
                f"SET n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                [value for row in chunk for value in row],
            )
    return len(rows)


UPSERT_CHUNK = 500  # rows per statement: 3,500 parameters, within every backend's limit


def refresh_case(case_id: int) -> None:
    """Bring the cells in line with case `case_id` as it is now (gone, when deleted)."""
    from yiwang.cases.models import Case

    with transaction.atomic():
        old = CaseSignature.objects.select_for_update().filter(pk=case_id).values(*SIGNATURE_FIELDS).first()
        case = Case.objects.select_related("dispute_type").filter(pk=case_id).first()
        new = get_case_signature(case) if case is not None else None
        if old == new:
            return
        apply_change(case_facts(old), case_facts(new))
        if new is None:
            CaseSignature.objects.filter(pk=case_id).delete()
        else:
            CaseSignature.objects.update_or_create(case_id=case_id, defaults=new)


def follow_case(case, event) -> None:
    """Hook core.hooks.case_changed: the cells follow the case as its action left it.

    A registration (cases.actions.do_register_case) has just inserted the whole row, so the case in hand
    is what the table holds and there is no signature yet: its signature is inserted and its facts added
    without reading either back. Should a signature exist after all (a case id reused), the general
    path below reads both and applies the difference."""
    if getattr(event, "kind", "") == "registered" and _insert_signature(case):
        return
    refresh_case(case.pk)


def _insert_signature(case) -> bool:
    """Insert the signature of a just-registered case and add its facts; False (nothing written) when a
    signature for its id is already there."""
    signature = get_case_signature(case)
    table = CaseSignature._meta.db_table
    names = ["case_id", *SIGNATURE_FIELDS]
    values = [case.pk, *(signature[name] for name in SIGNATURE_FIELDS)]
    values = [connection.ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v for v in values]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(connection.ops.quote_name(n) for n in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))}) ON CONFLICT (case_id) DO NOTHING",
            values,
        )
        if cursor.rowcount != 1:
            return False
    apply_change([], case_facts(signature))
    return True


def follow_registered(cases) -> None:
    """Hook core.hooks.cases_registered: the cells of many new cases in one pass, the same cells
    follow_case would write one by one (their facts summed before writing, their signatures inserted
    together)."""
    from yiwang.cases.actions.bulk import insert_rows

    calendar, summed, signatures = WorkingDays(), {}, []
    for case in cases:
        signature = get_case_signature(case, calendar)
        signatures.append((case.pk, *(signature[name] for name in SIGNATURE_FIELDS)))
        for area, day, metric, key, n, total, levels in case_facts(signature):
            cell = summed.setdefault((area, day, metric, key, levels), [0, 0])
            cell[0] += n
            cell[1] += total
    insert_rows(CaseSignature, ["case_id", *SIGNATURE_FIELDS], signatures)
    apply_change([], [(area, day, metric, key, n, total, levels)
                      for (area, day, metric, key, levels), (n, total) in summed.items()])


def _columns(row, fields) -> dict | None:
    return None if row is None else {name: getattr(row, name) for name in fields}


def follow_problem(old, problem) -> None:
    """Hook core.hooks.problem_changed: −(the problem's facts before) +(its facts now)."""
    apply_change(problem_facts(_columns(old, PROBLEM_FIELDS)), problem_facts(_columns(problem, PROBLEM_FIELDS)))


def follow_visit(old, visit) -> None:
    """Hook core.hooks.visit_changed: −(the visit's facts before) +(its facts now)."""
    apply_change(visit_facts(_columns(old, VISIT_FIELDS)), visit_facts(_columns(visit, VISIT_FIELDS)))


# ----------------------------------------------------------------------------------------------- rebuild


def _execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _sql_list(names) -> str:
    """Metric names (our own constants, never input) as an SQL list of literals."""
    return ", ".join(f"'{name}'" for name in sorted(names))


def _month_start_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _insert_base_from(queryset, metric: str, levels: str) -> None:
    """Insert base cells (grain "h" for the high levels, "l" for the low ones) from a queryset yielding
    columns a (area), d (day), k (key), c (count), t (total), grouped in the database."""
    sql, params = queryset.order_by().query.sql_with_params()
    for base_grain in ("h", "l") if levels == "*" else (levels.lower(),):
        _execute(
            f"INSERT INTO {Cell._meta.db_table} (area_code, grain, day, metric, key, n, total) "
            f"SELECT sub.a, '{base_grain}', sub.d, '{metric}', sub.k, sub.c, sub.t FROM ({sql}) sub",
            params,
        )


# The case facts of case_facts(), as SQL over the signature table: (metric, key, n, total, where, levels).
# The tests hold the two equal (a rebuild after any sequence of actions changes no cell).
_OUTCOME = "CASE WHEN outcome = '' THEN 'open' ELSE outcome END"
_CLOSED = ("CASE WHEN NOT closed THEN '' WHEN on_time IS NULL THEN 'no_deadline' WHEN on_time THEN 'on_time' "
           "ELSE 'late' END")
CASE_FACTS_SQL = [
    ("merged", "''", "COUNT(*)", "0", "merged", "*"),
    ("type", "dispute_type", "COUNT(*)", "0", "NOT merged", "H"),
    ("channel", "channel", "COUNT(*)", "0", "NOT merged", "H"),
    ("tier", "tier", "COUNT(*)", "0", "NOT merged", "H"),
    ("outcome", _OUTCOME, "COUNT(*)", "0", "NOT merged", "H"),
    ("trips", "''", "COUNT(*)", "SUM(visits)", "NOT merged", "H"),
    ("lb_outcome", _OUTCOME, "COUNT(*)", "0", "NOT merged AND litigation_bound", "H"),
    ("closed", _CLOSED, "COUNT(*)", "0", "NOT merged AND closed", "H"),
    ("handling_days", "CAST(handling_days AS TEXT)", "COUNT(*)", "SUM(handling_days)",
     "NOT merged AND closed AND handling_days IS NOT NULL", "H"),
    ("satisfaction", "''", "COUNT(*)", "SUM(satisfaction)", "NOT merged AND satisfaction IS NOT NULL", "H"),
    ("case", "dispute_type || '|' || channel || '|' || tier || '|' || " + _OUTCOME + " || '|' || "
     "CASE WHEN litigation_bound THEN '1' ELSE '0' END || '|' || " + _CLOSED + " || '|' || "
     "COALESCE(CAST(handling_days AS TEXT), '') || '|' || COALESCE(CAST(satisfaction AS TEXT), '')",
     "COUNT(*)", "SUM(visits)", "NOT merged", "L"),
]


def _rebuild_cases(out) -> int:
    """Signatures in Python (the working-day count needs the calendar), in batches; then the base cells
    grouped in the database from the signature table."""
    from yiwang.cases.models import Case

    calendar = WorkingDays()
    batch, count = [], 0
    rows = Case.objects.select_related("dispute_type").only(
        "area_id", "received_at", "dispute_type__code", "dispute_type__litigation_bound", "channel", "tier",
        "outcome", "status", "closed_at", "deadline", "visits", "satisfaction",
    ).order_by().iterator(chunk_size=5000)
    for case in rows:
        batch.append(CaseSignature(case_id=case.pk, **get_case_signature(case, calendar)))
        if len(batch) >= 5000:
            CaseSignature.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    CaseSignature.objects.bulk_create(batch)
    count += len(batch)
    signatures = CaseSignature._meta.db_table
    for metric, key, n, total, where, levels in CASE_FACTS_SQL:
        for base_grain in ("h", "l") if levels == "*" else (levels.lower(),):
            _execute(
                f"INSERT INTO {Cell._meta.db_table} (area_code, grain, day, metric, key, n, total) "
                f"SELECT area_code, '{base_grain}', received_on, '{metric}', {key}, {n}, {total} "
                f"FROM {signatures} WHERE {where} GROUP BY area_code, received_on"
                + ("" if key == "''" else f", {key}")  # PostgreSQL refuses a constant in GROUP BY
            )
    out(f"cases: {count:,} signatures")
    return count


def _rebuild_grids(out) -> None:
    from django.db.models import Case as Choose
    from django.db.models import CharField, Count, F, Sum, Value, When
    from django.db.models.functions import Concat, TruncDate

    from yiwang.grids.models import FINAL_STATES, Problem, State, Visit

    reported = Problem.objects.annotate(a=F("area_id"), d=TruncDate("reported_at"))
    for metric, field, filters, levels in (
        ("p_category", "category", {}, "H"), ("p_channel", "channel", {}, "H"), ("p_tier", "tier", {}, "H"),
        ("p_invalid", None, {"state": State.INVALID}, "H"), ("p_open", "state", None, "*"),
    ):
        qs = reported.exclude(state__in=FINAL_STATES) if filters is None else reported.filter(**filters)
        qs = qs.annotate(k=F(field) if field else Value("")).values("a", "d", "k").annotate(
            c=Count("id"), t=Value(0))
        _insert_base_from(qs, metric, levels)
    invalid = Choose(When(state=State.INVALID, then=Value("invalid")), default=Value(""), output_field=CharField())
    composite = reported.annotate(k=Concat("category", Value("|"), "channel", Value("|"), "tier", Value("|"), invalid,
                                           output_field=CharField()))
    _insert_base_from(composite.values("a", "d", "k").annotate(c=Count("id"), t=Value(0)), "problem", "L")
    cleared = Problem.objects.filter(state=State.CLOSED, closed_at__isnull=False).annotate(
        a=F("area_id"), d=TruncDate("closed_at"), k=F("category")).values("a", "d", "k").annotate(
        c=Count("id"), t=Value(0))
    _insert_base_from(cleared, "p_cleared", "*")
    visits = Visit.objects.annotate(a=F("area_id"), d=F("date"), k=Value("")).values("a", "d", "k").annotate(
        c=Count("id"), t=Sum("households_visited"))
    _insert_base_from(visits, "visits", "*")
    out("grids: base cells inserted")


def rebuild(out=lambda line: None) -> None:
    """Recompute every cell and case signature from the raw rows (set-based where it can be)."""
    table = Cell._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _execute(f"TRUNCATE {table}, {CaseSignature._meta.db_table}")
        else:
            Cell.objects.all().delete()
            CaseSignature.objects.all().delete()
        _rebuild_cases(out)
        _rebuild_grids(out)
        month = _month_start_sql("day")
        for length in ANCESTOR_LENGTHS:
            base = "h" if length in HIGH_LENGTHS else "l"
            _execute(
                f"INSERT INTO {table} (area_code, grain, day, metric, key, n, total) "
                f"SELECT substr(area_code, 1, {length}), 'd', day, metric, key, SUM(n), SUM(total) FROM {table} "
                f"WHERE grain = '{base}' AND length(area_code) >= {length} "
                f"GROUP BY substr(area_code, 1, {length}), day, metric, key"
            )
        day_only = _sql_list(DAY_ONLY_METRICS)
        _execute(  # the levels whose day cells are marginals: their months from their days
            f"INSERT INTO {table} (area_code, grain, day, metric, key, n, total) "
            f"SELECT area_code, 'm', {month}, metric, key, SUM(n), SUM(total) FROM {table} "
            f"WHERE grain = 'd' AND length(area_code) <= {max(HIGH_LENGTHS)} AND metric NOT IN ({day_only}) "
            f"GROUP BY area_code, {month}, metric, key"
        )
        for length in ANCESTOR_LENGTHS:  # township and village months: from the marginal base cells
            if length in HIGH_LENGTHS:
                continue
            only = "" if length < VILLAGE_LENGTH else \
                f"AND metric IN ({_sql_list(VILLAGE_MONTH_METRICS | STAR_METRICS)}) "
            _execute(
                f"INSERT INTO {table} (area_code, grain, day, metric, key, n, total) "
                f"SELECT substr(area_code, 1, {length}), 'm', {month}, metric, key, SUM(n), SUM(total) "
                f"FROM {table} WHERE grain = 'h' AND length(area_code) >= {length} "
                f"AND metric NOT IN ({day_only}) {only}"
                f"GROUP BY substr(area_code, 1, {length}), {month}, metric, key"
            )
        _execute(f"DELETE FROM {table} WHERE grain IN ('h', 'l')")
    if connection.vendor == "postgresql":
        _execute(f"ANALYZE {table}")
    out(f"statistics rebuilt: {Cell.objects.count():,} cells")
