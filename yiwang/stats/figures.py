"""Indicators for an area and a period, read from the statistics cells (never from the raw tables).

Periods are inclusive local dates (Asia/Shanghai). Case indicators count the cases *received* in the
period (the cohort), in the subtree of the area where the dispute arose, each as it stands now:

received                  cases received, excluding duplicates merged into another case (a dispute
                          that arrived twice is one case). Equals the count of GET /api/v1/cases/
                          ?area=&received_from=&received_to= minus `merged_duplicates`.
merged_duplicates         cases received in the period and later merged into another case
by_type / by_channel / by_tier / by_outcome   received, broken down (tier as it is now; outcome
                          "open" while the case has none)
received_previous_year    received over the same dates a year earlier (29 February → 28 February)
yoy_change_percent        (received − previous) / previous × 100, 2 places; null when previous is 0
month / received_this_month   the month of the period's end, from its first day to the end (本月)
previous_month / received_previous_month   the same days of the month before (上月同期; a day past the
                          end of the shorter month, or a month's last day, ends on that month's last day)
mom_change_percent        (this month − previous) / previous × 100 (环比), 2 places; null when previous is 0
mediation_success_rate    agreement / (agreement + terminated + referred), per cent: of the cases whose
                          mediation ended, the share that ended in an agreement
pre_litigation_diversion_rate   of the cases of litigation-bound types (DisputeType.litigation_bound),
                          the share settled by a mediation agreement instead of going to court, per cent
closed / closed_on_time_rate   cases closed (archived, withdrawn, not accepted); 按期办结率: of the cases
                          due by the period's end (closed with a deadline, or still open past their deadline
                          as of the period's end or today, whichever is earlier), the share closed on or
                          before the deadline, per cent
overdue_open              cases received in the period, still open, past their deadline as of the period's end
                          (or today): the queue "overdue" lists them (counted from the cases, not the cells)
*_previous_year rates / *_change_points   the rates over the same dates a year earlier, and the difference
                          in percentage points (百分点), 2 places
handling_days_mean / _median   working days from the day received to the day closed, closed cases
trips_per_case            in-person trips (最多跑一地) / received
satisfaction_mean / followed_up   mean follow-up score (1–5) and the number of cases scored
Grid indicators: visits (by visit date) and households visited; problems reported (by day reported),
by category, channel and tier; invalid; cleared (closed, by the day closed) by category; backlog: problems
open now (neither closed nor invalid), whatever the period, by state and by age in calendar days since
reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from yiwang.stats.aggregates import (
    DAY_ONLY_METRICS,
    STAR_METRICS,
    VILLAGE_LENGTH,
    VILLAGE_MONTH_METRICS,
    level_class,
)
from yiwang.stats.models import Cell

AGE_BUCKETS = [("0–1", 0, 1), ("2–7", 2, 7), ("8–30", 8, 30), (">30", 31, None)]
MEDIATION_ENDED = ("agreement", "terminated", "referred")


# ----------------------------------------------------------------------------------------------- periods


def previous_year(day: dt.date) -> dt.date:
    """The same date a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _month_back(day: dt.date, *, end: bool) -> dt.date:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    last = calendar.monthrange(year, month)[1]
    if end and day.day == calendar.monthrange(day.year, day.month)[1]:
        return dt.date(year, month, last)
    return dt.date(year, month, min(day.day, last))


def previous_year_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return previous_year(start), previous_year(end)


def previous_month_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    return _month_back(start, end=False), _month_back(end, end=True)


def change_percent(now: int, before: int) -> float | None:
    """(now − before) / before in per cent, rounded half up to 2 places; None when before is 0."""
    if not before:
        return None
    return float((Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def rate(part: int | float, whole: int | float) -> float | None:
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def mean(total: int, n: int) -> float | None:
    if not n:
        return None
    return float((Decimal(total) / Decimal(n)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def split_period(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """[start, end] as the whole calendar months inside it — (first day of the first, first day after the
    last) or None — and the ragged days at either end as inclusive ranges (at most 62 days in all)."""
    first_full = start if start.day == 1 else (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    after = end + dt.timedelta(days=1)
    last_full_end = after.replace(day=1)  # months starting before this one end on or before `end`
    if first_full >= last_full_end:
        return None, [(start, end)]
    days = []
    if start < first_full:
        days.append((start, first_full - dt.timedelta(days=1)))
    if last_full_end <= end:
        days.append((last_full_end, end))
    return (first_full, last_full_end), days


CASE_MARGINALS = {"type", "channel", "tier", "outcome", "trips", "lb_outcome", "closed", "handling_days",
                  "satisfaction"}
PROBLEM_MARGINALS = {"p_category", "p_channel", "p_tier", "p_invalid"}


def _add(into: dict, metric: str, key: str, n: int, total: int) -> None:
    cell = into[metric].setdefault(key, [0, 0])
    cell[0] += n
    cell[1] += total


def expand_composites(metric: str, key: str, n: int, total: int, into: dict) -> None:
    """Split a township/village composite cell back into the marginal metrics (aggregates.py)."""
    if metric == "case":
        type_, channel, tier, outcome, bound, closed, days, score = key.split("|")
        _add(into, "type", type_, n, 0)
        _add(into, "channel", channel, n, 0)
        _add(into, "tier", tier, n, 0)
        _add(into, "outcome", outcome, n, 0)
        _add(into, "trips", "", n, total)
        if bound == "1":
            _add(into, "lb_outcome", outcome, n, 0)
        if closed:
            _add(into, "closed", closed, n, 0)
        if days:
            _add(into, "handling_days", days, n, n * int(days))
        if score:
            _add(into, "satisfaction", "", n, n * int(score))
    elif metric == "problem":
        category, channel, tier, invalid = key.split("|")
        _add(into, "p_category", category, n, 0)
        _add(into, "p_channel", channel, n, 0)
        _add(into, "p_tier", tier, n, 0)
        if invalid:
            _add(into, "p_invalid", "", n, 0)
    else:
        _add(into, metric, key, n, total)


def _composite_metrics(metrics) -> list[str]:
    """What to read from township/village day cells for `metrics`: the composites that hold them."""
    stored = set(metrics) - CASE_MARGINALS - PROBLEM_MARGINALS
    if set(metrics) & CASE_MARGINALS:
        stored.add("case")
    if set(metrics) & PROBLEM_MARGINALS:
        stored.add("problem")
    return sorted(stored)


def _shape(code: str, metrics: set) -> str:
    """How an area's cells are read: "high" (marginals by day and month), "town" (marginal months,
    composite days), "village" (the same, for the few metrics a village keeps by month), "days" (a
    village read for more than those: composite days only)."""
    if level_class(code) == "H":
        return "high"
    if len(code) < VILLAGE_LENGTH:
        return "town"
    return "village" if metrics <= VILLAGE_MONTH_METRICS | STAR_METRICS else "days"


def read(area_codes, start: dt.date, end: dt.date, metrics) -> dict:
    """{area_code: {metric: {key: [n, total]}}} summed over the period: month cells for the whole months
    (a fixed number of rows per month), day cells for the ragged ends. One query per shape of area."""
    result: dict = defaultdict(lambda: defaultdict(dict))
    wanted = set(metrics)
    if wanted & DAY_ONLY_METRICS:
        raise ValueError("the backlog is kept by day only: read it with get_backlog()")
    groups: dict[str, list[str]] = defaultdict(list)
    for code in area_codes:
        groups[_shape(code, wanted)].append(code)
    whole_months, ragged_days = split_period(start, end)
    for shape, codes in groups.items():
        months, days = (None, [(start, end)]) if shape == "days" else (whole_months, ragged_days)
        day_metrics = sorted(wanted) if shape == "high" else _composite_metrics(wanted)
        where = Q(pk__in=[])
        if months is not None:
            where |= Q(grain="m", day__gte=months[0], day__lt=months[1], metric__in=sorted(wanted))
        for low, high in days:
            where |= Q(grain="d", day__gte=low, day__lte=high, metric__in=day_metrics)
        rows = (
            Cell.objects.filter(where, area_code__in=codes)
            .values("area_code", "metric", "key").annotate(n=Sum("n"), t=Sum("total")).order_by()
        )
        for row in rows:
            if row["n"] or row["t"]:
                expand_composites(row["metric"], row["key"], row["n"], row["t"], result[row["area_code"]])
    for code in list(result):
        for metric in list(result[code]):
            if metric not in wanted:
                del result[code][metric]
    return result


def _n(cells: dict, metric: str, key: str | None = None) -> int:
    values = cells.get(metric, {})
    if key is not None:
        return values.get(key, [0, 0])[0]
    return sum(v[0] for v in values.values())


def _t(cells: dict, metric: str) -> int:
    return sum(v[1] for v in cells.get(metric, {}).values())


def _breakdown(cells: dict, metric: str) -> dict[str, int]:
    return {k: v[0] for k, v in sorted(cells.get(metric, {}).items()) if v[0]}


def _median_from_histogram(histogram: dict[str, list]) -> float | None:
    counts = sorted((int(k), v[0]) for k, v in histogram.items() if v[0])
    total = sum(n for _k, n in counts)
    if not total:
        return None
    # the middle value, or the mean of the two middle values
    wanted = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, n in counts:
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
    return float(Decimal(sum(found)) / 2)


CASE_READ = ("type", "channel", "tier", "outcome", "merged", "trips", "lb_outcome", "closed", "handling_days",
             "satisfaction")


def case_indicators(cells: dict, overdue_open: int = 0) -> dict:
    """The case indicators from one area's summed cells (see the module docstring). Every case received
    has exactly one outcome ("open" while it has none), so `received` is the sum over outcomes.
    `overdue_open` (cases still open past their deadline) counts as due and not closed on time."""
    received = _n(cells, "outcome")
    outcomes = cells.get("outcome", {})
    ended = sum(outcomes.get(k, [0])[0] for k in MEDIATION_ENDED)
    lb_total = _n(cells, "lb_outcome")
    closed = _n(cells, "closed")
    with_deadline = _n(cells, "closed", "on_time") + _n(cells, "closed", "late")
    return {
        "received": received,
        "merged_duplicates": _n(cells, "merged"),
        "by_type": _breakdown(cells, "type"),
        "by_channel": _breakdown(cells, "channel"),
        "by_tier": _breakdown(cells, "tier"),
        "by_outcome": _breakdown(cells, "outcome"),
        "mediation_ended": ended,
        "mediation_agreements": _n(cells, "outcome", "agreement"),
        "mediation_success_rate": rate(_n(cells, "outcome", "agreement"), ended),
        "litigation_bound": lb_total,
        "diverted_before_litigation": _n(cells, "lb_outcome", "agreement"),
        "pre_litigation_diversion_rate": rate(_n(cells, "lb_outcome", "agreement"), lb_total),
        "closed": closed,
        "closed_on_time": _n(cells, "closed", "on_time"),
        "overdue_open": overdue_open,
        "closed_on_time_rate": rate(_n(cells, "closed", "on_time"), with_deadline + overdue_open),
        "handling_days_mean": mean(_t(cells, "handling_days"), _n(cells, "handling_days")),
        "handling_days_median": _median_from_histogram(cells.get("handling_days", {})),
        "trips": _t(cells, "trips"),
        "trips_per_case": mean(_t(cells, "trips"), received),
        "followed_up": _n(cells, "satisfaction"),
        "satisfaction_mean": mean(_t(cells, "satisfaction"), _n(cells, "satisfaction")),
    }


def count_overdue_open(area_code: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> int:
    """Cases received in [start, end] in the area's subtree, still open and past their deadline as of the
    period's end (today, for a period that has not ended): what the case queue's "overdue" lists. Read
    from the cases themselves (the cells keep no deadlines); the (status, deadline) index serves it."""
    from yiwang.cases.models import Case

    as_of = min(end + dt.timedelta(days=1), today or timezone.localdate())
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz)
    return Case.objects.in_area(area_code).filter(received_at__gte=low, received_at__lt=high).overdue(as_of).count()


RATES = ("mediation_success_rate", "pre_litigation_diversion_rate", "closed_on_time_rate")


def change_points(now: float | None, before: float | None) -> float | None:
    """The difference of two rates in percentage points (百分点), 2 places; None when either is missing."""
    if now is None or before is None:
        return None
    return float((Decimal(str(now)) - Decimal(str(before))).quantize(Decimal("0.01"), ROUND_HALF_UP))


def get_case_figures(area_code: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """Every case indicator for `area_code` over [start, end], with year-on-year (同比, the same dates a
    year earlier) and month-on-month (环比: the month of the period's end against the same days of the
    month before)."""
    today = today or timezone.localdate()
    now = read([area_code], start, end, CASE_READ)[area_code]
    figures = {"area": area_code, "start": start, "end": end,
               **case_indicators(now, count_overdue_open(area_code, start, end, today))}
    py_start, py_end = previous_year_period(start, end)
    before_cells = read([area_code], py_start, py_end, ("type", "channel", "tier", "outcome", "lb_outcome",
                                                        "closed"))[area_code]
    before = case_indicators(before_cells, count_overdue_open(area_code, py_start, py_end, today))
    figures["previous_year"] = {"start": py_start, "end": py_end}
    figures["received_previous_year"] = _n(before_cells, "type")
    figures["yoy_change_percent"] = change_percent(figures["received"], figures["received_previous_year"])
    for name in RATES:
        figures[f"{name}_previous_year"] = before[name]
        figures[f"{name}_change_points"] = change_points(figures[name], before[name])
    month_start = max(start, end.replace(day=1))
    pm_start, pm_end = previous_month_period(month_start, end)
    this_month = read([area_code], month_start, end, ("outcome",))[area_code]
    month_before = read([area_code], pm_start, pm_end, ("outcome",))[area_code]
    figures["month"] = {"start": month_start, "end": end}
    figures["received_this_month"] = _n(this_month, "outcome")
    figures["previous_month"] = {"start": pm_start, "end": pm_end}
    figures["received_previous_month"] = _n(month_before, "outcome")
    figures["mom_change_percent"] = change_percent(figures["received_this_month"], figures["received_previous_month"])
    figures["by_type_previous_year"] = _breakdown(before_cells, "type")
    figures["by_channel_previous_year"] = _breakdown(before_cells, "channel")
    figures["by_tier_previous_year"] = _breakdown(before_cells, "tier")
    return figures


GRID_READ = ("visits", "p_category", "p_channel", "p_tier", "p_invalid", "p_cleared")


def grid_indicators(cells: dict) -> dict:
    return {
        "visits": _n(cells, "visits"),
        "households_visited": _t(cells, "visits"),
        "reported": _n(cells, "p_category"),
        "by_category": _breakdown(cells, "p_category"),
        "by_channel": _breakdown(cells, "p_channel"),
        "by_tier": _breakdown(cells, "p_tier"),
        "invalid": _n(cells, "p_invalid"),
        "cleared": _n(cells, "p_cleared"),
        "cleared_by_category": _breakdown(cells, "p_cleared"),
    }


def get_backlog(area_code: str, today: dt.date | None = None) -> dict:
    """Problems open now in the area: how many, by state, by age (calendar days since reported)."""
    today = today or timezone.localdate()
    rows = Cell.objects.filter(area_code=area_code, grain="d", metric="p_open").values("day", "key").annotate(
        n=Sum("n")).order_by()
    by_state: dict[str, int] = defaultdict(int)
    ages = {label: 0 for label, _low, _high in AGE_BUCKETS}
    total = age_sum = 0
    oldest = None
    for row in rows:
        if not row["n"]:
            continue
        age = (today - row["day"]).days
        by_state[row["key"]] += row["n"]
        total += row["n"]
        age_sum += age * row["n"]
        oldest = age if oldest is None else max(oldest, age)
        for label, low, high in AGE_BUCKETS:
            if age >= low and (high is None or age <= high):
                ages[label] += row["n"]
    return {"backlog": total, "backlog_by_state": dict(sorted(by_state.items())), "backlog_by_age": ages,
            "backlog_mean_age_days": mean(age_sum, total), "backlog_oldest_age_days": oldest}


def get_grid_figures(area_code: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    now = read([area_code], start, end, GRID_READ)[area_code]
    figures = {"area": area_code, "start": start, "end": end, **grid_indicators(now)}
    py_start, py_end = previous_year_period(start, end)
    month_start = max(start, end.replace(day=1))
    pm_start, pm_end = previous_month_period(month_start, end)
    before = grid_indicators(read([area_code], py_start, py_end, ("visits", "p_category", "p_cleared"))[area_code])
    this_month = grid_indicators(read([area_code], month_start, end, ("visits", "p_category"))[area_code])
    month_before = grid_indicators(read([area_code], pm_start, pm_end, ("visits", "p_category"))[area_code])
    figures["previous_year"] = {"start": py_start, "end": py_end}
    for name in ("visits", "reported", "cleared"):
        figures[f"{name}_previous_year"] = before[name]
        figures[f"{name}_yoy_change_percent"] = change_percent(figures[name], before[name])
    figures["month"] = {"start": month_start, "end": end}
    figures["previous_month"] = {"start": pm_start, "end": pm_end}
    for name in ("visits", "reported"):
        figures[f"{name}_this_month"] = this_month[name]
        figures[f"{name}_previous_month"] = month_before[name]
        figures[f"{name}_mom_change_percent"] = change_percent(this_month[name], month_before[name])
    figures["yoy_change_percent"] = figures["reported_yoy_change_percent"]
    figures.update(get_backlog(area_code, today))
    return figures


# What the drill-down table shows: the rest (histograms above all) is read only for the area itself.
# Villages keep these by month (aggregates.VILLAGE_MONTH_METRICS), so a town's table reads month cells.
CHILD_READ = ("outcome", "closed", "visits", "p_category", "p_cleared")


def get_children_figures(child_codes: list[str], start: dt.date, end: dt.date) -> dict[str, dict]:
    """The main case and grid counts for several areas at once (one query per period), with cases
    received over the same dates a year earlier and the change: drill-down tables."""
    cells = read(child_codes, start, end, CHILD_READ)
    before = read(child_codes, *previous_year_period(start, end), ("outcome",))
    rows = {}
    for code in child_codes:
        row = {**case_indicators(cells[code]), **grid_indicators(cells[code])}
        row["received_previous_year"] = case_indicators(before[code])["received"]
        row["yoy_change_percent"] = change_percent(row["received"], row["received_previous_year"])
        rows[code] = row
    return rows


def get_monthly_received(area_code: str, months: list[dt.date]) -> list[tuple[dt.date, int, int]]:
    """(month, cases received, problems reported) for each month start in `months` (a trend chart)."""
    if not months:
        return []
    end = (months[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = Cell.objects.filter(
        area_code=area_code, grain="m", day__gte=months[0], day__lte=end, metric__in=("outcome", "p_category")
    ).values("day", "metric").annotate(n=Sum("n")).order_by()
    found: dict = defaultdict(int)
    for row in rows:
        found[(row["day"], row["metric"] == "outcome")] += row["n"]
    return [(m, found[(m, True)], found[(m, False)]) for m in months]
