"""Chinese working days: official holidays and make-up workdays (调休) from chinese-calendar.

chinese-calendar carries the State Council's published schedule, which exists only up to the current
year. For a year it does not know yet we count Monday to Friday as working days rather than fail: a
deadline or visit date far enough ahead to hit an unpublished year is recomputed by nobody, so the
fallback errs on the ordinary week.
"""

from __future__ import annotations

import datetime

import chinese_calendar


def is_workday(day: datetime.date) -> bool:
    """Whether `day` is a working day in mainland China (调休 Saturdays count, holidays do not)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (the start day itself never counts)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
