"""The weekly visit plan: every grid team visits each of its grids on the visit day (Friday unless
settings.GRID_VISIT_WEEKDAY says otherwise, Monday = 0).

Holidays: the teams are civil servants, police and village cadres, who do not work on a public
holiday. When the visit day is not a working day, the visit is due on the latest working day before
it in the same week (Thursday before a holiday Friday); failing that, the earliest working day after it
in the same week (a make-up Saturday, 调休); a week with no working day at all (Spring Festival,
National Day) has no visit. A task is keyed by the nominal visit day of its week, so planning again
never duplicates a moved task.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from yiwang.core.calendar import is_working_day as is_workday
from yiwang.core.tasks import task

DEFAULT_WEEKDAY = 4  # Friday


def visit_weekday() -> int:
    return int(getattr(settings, "GRID_VISIT_WEEKDAY", DEFAULT_WEEKDAY))


def get_week_day(day: datetime.date) -> datetime.date:
    """The nominal visit day of the week (Monday to Sunday) holding `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday + datetime.timedelta(days=visit_weekday())


def get_next_week_day(today: datetime.date) -> datetime.date:
    """The coming nominal visit day: today when today is the visit day."""
    ahead = (visit_weekday() - today.weekday()) % 7
    return today + datetime.timedelta(days=ahead)


def get_due_date(week_day: datetime.date) -> datetime.date | None:
    """When the visit of the week whose nominal day is `week_day` is due, or None for no visit."""
    if is_workday(week_day):
        return week_day
    monday = week_day - datetime.timedelta(days=week_day.weekday())
    day = week_day - datetime.timedelta(days=1)
    while day >= monday:
        if is_workday(day):
            return day
        day -= datetime.timedelta(days=1)
    sunday = monday + datetime.timedelta(days=6)
    day = week_day + datetime.timedelta(days=1)
    while day <= sunday:
        if is_workday(day):
            return day
        day += datetime.timedelta(days=1)
    return None


def do_plan_visits(today: datetime.date) -> dict:
    """Create every team's task for each of its grids for the coming visit day and the one after it
    (so a visit moved forward by a holiday is known a week ahead), and mark planned tasks whose due
    date has passed as missed. Idempotent: running it twice the same day changes nothing."""
    from yiwang.audit.actions import record
    from yiwang.grids.models import Grid, TaskState, VisitTask

    created = 0
    first = get_next_week_day(today)
    with transaction.atomic():
        missed = VisitTask.objects.filter(state=TaskState.PLANNED, due_date__lt=today).update(
            state=TaskState.MISSED
        )
        for week_day in (first, first + datetime.timedelta(days=7)):
            due = get_due_date(week_day)
            if due is None or due < today:
                continue
            existing = set(VisitTask.objects.filter(week_day=week_day).values_list("team_id", "grid_id"))
            new = [
                VisitTask(team_id=team_id, grid_id=grid_id, area_id=area_id, week_day=week_day, due_date=due)
                for grid_id, area_id, team_id in Grid.objects.filter(active=True, teams__active=True)
                .values_list("id", "area_id", "teams__id")
                if (team_id, grid_id) not in existing
            ]
            VisitTask.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
        if created or missed:
            record(None, "grids.visits_planned", area_code="", actor_name="scheduler",
                   today=today.isoformat(), created=created, missed=missed)
    return {"created": created, "missed": missed}


@task()
def plan_visits(today: str | None = None) -> dict:
    """Background task: plan the coming visits (see do_plan_visits). `today` is an ISO date, for tests
    and catch-up runs; by default the local date."""
    from django.utils import timezone

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return do_plan_visits(day)
