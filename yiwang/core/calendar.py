"""Chinese working days: official holidays and make-up workdays (调休) from the chinese-calendar library,
overridden by the Holiday table (for years the library does not know yet, or local decisions).

Every deadline in every app counts days here: cases' acceptance and mediation periods, grids' handling
periods and visit days, statistics' on-time figures."""

from datetime import date, timedelta

import chinese_calendar


def get_overrides(start: date, end: date) -> dict[date, bool]:
    """The Holiday table's days from `start` to `end`: date → working, read once for a bulk count."""
    from yiwang.core.models import Holiday

    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "working"))


def _library_says_working(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the library does not know: weekdays work unless the Holiday table says otherwise.
        return day.weekday() < 5


def library_knows(year: int) -> bool:
    """Whether chinese-calendar carries the State Council's holiday arrangement for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def get_years_without_holidays(today: date) -> list[int]:
    """This year, and from November (when the State Council publishes it) next year, when neither the
    library nor the Holiday table holds the holiday arrangement: deadlines there count Monday to Friday."""
    from yiwang.core.models import Holiday

    years = [today.year, today.year + 1] if today.month >= 11 else [today.year]
    return [year for year in years
            if not library_knows(year) and not Holiday.objects.filter(date__year=year).exists()]


def is_working_day(day: date, overrides: dict[date, bool] | None = None) -> bool:
    """Whether `day` is a working day in China."""
    if overrides is None:
        overrides = get_overrides(day, day)
    if day in overrides:
        return overrides[day]
    return _library_says_working(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    # Long holidays last at most ~10 days: a window of 3x + 20 days always holds the answer.
    overrides = get_overrides(start, start + timedelta(days=days * 3 + 20))
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            left -= 1
    return day


def roll_to_working_day(day: date) -> date:
    """A period that ends on a holiday ends on the first working day after it (民事诉讼法 art. 85)."""
    overrides = get_overrides(day, day + timedelta(days=20))
    while not is_working_day(day, overrides):
        day += timedelta(days=1)
    return day


def add_days_rolled(start: date, days: int) -> date:
    """A period of `days` calendar days (e.g. 30-day mediation) whose end rolls past holidays."""
    return roll_to_working_day(start + timedelta(days=days))
