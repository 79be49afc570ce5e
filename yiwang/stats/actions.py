"""What the statistics pages and API share: reading and checking a request for figures.

Statistics change nothing; the cells are written by aggregates.py. The one do_* starts a background job.

    check_query(user, area=, start=, end=) → StatsQuery   the area (a division code) and the period
        (inclusive local dates, default: 1 January of this year to today), or
        StatsInputError (message per field: bad date, start after end, unknown area, period too long)
        Http404 when the area is outside the user's stats.view grant (out of scope looks like missing)
    get_default_area(user) → the widest area the user may read statistics for (None: nowhere)
    do_start_table_export(user, area=, key=, start=, end=) → core Job "stats.export"   a dashboard table's
        workbook made by the worker (stats/jobs.py); the query is checked now and again when it runs
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Area
from yiwang.core.errors import InputError
from yiwang.core.scope import get_area_prefixes, user_can

MAX_YEARS = 20
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class StatsInputError(InputError):
    """Bad query parameters; `message_dict` holds a message per field."""


@dataclass
class StatsQuery:
    area: Area
    start: dt.date
    end: dt.date


def get_default_area(user) -> str | None:
    prefixes = get_area_prefixes(user, "stats.view")
    if prefixes is None:
        province = settings.YIWANG_DISTRICT[:2]
        return province if Area.objects.filter(code=province).exists() else settings.YIWANG_DISTRICT
    return min(prefixes, key=len) if prefixes else None


def _date(value, field: str, default: dt.date, errors: dict) -> dt.date:
    if value in (None, ""):
        return default
    try:
        parsed = dt.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a valid date (YYYY-MM-DD).")]
        return default
    # Year-on-year figures reach a year back and a day past the end: the calendar's edges would crash them.
    if not EARLIEST <= parsed <= LATEST:
        errors[field] = [_("Enter a date between %(earliest)s and %(latest)s.")
                         % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}]
        return default
    return parsed


def check_query(user, *, area: str | None, start=None, end=None) -> StatsQuery:
    """The area and period a statistics request names, checked (see the module docstring)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    start_date = _date(start, "start", dt.date(today.year, 1, 1), errors)
    end_date = _date(end, "end", today, errors)
    if not errors and start_date > end_date:
        errors["end"] = [_("The end of the period cannot be before its start.")]
    if not errors and (end_date - start_date).days > 366 * MAX_YEARS:
        errors["start"] = [_("A period can be at most %(n)s years long.") % {"n": MAX_YEARS}]
    if not area and not get_default_area(user):
        raise Http404  # no area named and none the user may read statistics for
    code = (area or get_default_area(user) or "").strip()
    found = Area.objects.filter(code=code).first() if code.isdigit() else None
    if found is None:
        errors["area"] = [_("Unknown area code: %(code)s") % {"code": code or "—"}]
    if errors:
        raise StatsInputError(errors)
    if not user_can(user, "stats.view", found.code):
        raise Http404
    return StatsQuery(area=found, start=start_date, end=end_date)


def do_start_table_export(user, *, area: str, key: str, start=None, end=None):
    """Queue the Excel export of one dashboard table as a job the user follows on /jobs/<id>/."""
    from yiwang.core.jobs import start_job
    from yiwang.stats.exports import TABLE_KEYS

    query = check_query(user, area=area, start=start, end=end)
    if key not in TABLE_KEYS:
        raise Http404
    return start_job("stats.export", by=user, area_code=query.area.code,
                     params={"key": key, "start": query.start.isoformat(), "end": query.end.isoformat()})
