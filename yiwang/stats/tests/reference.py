"""The indicators counted straight from the raw rows: what every aggregate is tested against."""

import datetime as dt
import statistics

from django.db.models import Sum
from django.utils import timezone

from yiwang.cases.models import CLOSED_STATUSES, Case, Status
from yiwang.grids.models import FINAL_STATES, Problem, State, Visit
from yiwang.stats.aggregates import WorkingDays
from yiwang.stats.figures import mean, rate


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz))


def _pct(part, whole):
    return rate(part, whole)


def cases_direct(area: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    low, high = _bounds(start, end)
    as_of = min(end + dt.timedelta(days=1), today or timezone.localdate())
    everything = Case.objects.in_area(area).filter(received_at__gte=low, received_at__lt=high)
    cases = list(everything.exclude(status=Status.MERGED).select_related("dispute_type"))
    closed = [c for c in cases if c.status in CLOSED_STATUSES]
    calendar = WorkingDays()
    local = lambda moment: timezone.localtime(moment).date()  # noqa: E731
    days = [calendar.between(local(c.received_at), local(c.closed_at)) for c in closed]
    with_deadline = [c for c in closed if c.deadline is not None]
    overdue = [c for c in cases if c.status not in CLOSED_STATUSES and c.deadline is not None and c.deadline < as_of]
    ended = [c for c in cases if c.outcome in ("agreement", "terminated", "referred")]
    bound = [c for c in cases if c.dispute_type.litigation_bound]
    scored = [c.satisfaction for c in cases if c.satisfaction is not None]

    def count_by(attr):
        result = {}
        for c in cases:
            key = attr(c)
            result[key] = result.get(key, 0) + 1
        return dict(sorted(result.items()))

    return {
        "received": len(cases),
        "merged_duplicates": everything.filter(status=Status.MERGED).count(),
        "by_type": count_by(lambda c: c.dispute_type.code),
        "by_channel": count_by(lambda c: c.channel),
        "by_tier": count_by(lambda c: c.tier),
        "by_outcome": count_by(lambda c: c.outcome or "open"),
        "mediation_success_rate": _pct(sum(c.outcome == "agreement" for c in ended), len(ended)),
        "pre_litigation_diversion_rate": _pct(sum(c.outcome == "agreement" for c in bound), len(bound)),
        "closed": len(closed),
        "overdue_open": len(overdue),
        "closed_on_time_rate": _pct(sum(local(c.closed_at) <= c.deadline for c in with_deadline),
                                    len(with_deadline) + len(overdue)),
        "handling_days_mean": mean(sum(days), len(days)),
        "handling_days_median": float(statistics.median(days)) if days else None,
        "trips": sum(c.visits for c in cases),
        "trips_per_case": mean(sum(c.visits for c in cases), len(cases)),
        "followed_up": len(scored),
        "satisfaction_mean": mean(sum(scored), len(scored)),
    }


def grids_direct(area: str, start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    low, high = _bounds(start, end)
    problems = Problem.objects.in_area(area)
    reported = problems.filter(reported_at__gte=low, reported_at__lt=high)
    visits = Visit.objects.in_area(area).filter(date__gte=start, date__lte=end)
    open_now = problems.exclude(state__in=FINAL_STATES)
    today = today or timezone.localdate()
    ages = [(today - timezone.localtime(p.reported_at).date()).days for p in open_now]
    by_category = {}
    for category in reported.values_list("category", flat=True):
        by_category[category] = by_category.get(category, 0) + 1
    return {
        "visits": visits.count(),
        "households_visited": visits.aggregate(n=Sum("households_visited"))["n"] or 0,
        "reported": reported.count(),
        "by_category": dict(sorted(by_category.items())),
        "invalid": reported.filter(state=State.INVALID).count(),
        "cleared": problems.filter(state=State.CLOSED, closed_at__gte=low, closed_at__lt=high).count(),
        "backlog": open_now.count(),
        "backlog_mean_age_days": mean(sum(ages), len(ages)),
        "backlog_oldest_age_days": max(ages) if ages else None,
    }
