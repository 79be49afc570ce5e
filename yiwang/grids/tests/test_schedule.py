"""The weekly visit plan: a task per team and grid for every Friday, holidays moved, missed marked."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from yiwang.areas.models import Team, TeamKind
from yiwang.grids.models import Grid, TaskState, VisitTask
from yiwang.grids.schedule import do_plan_visits, get_due_date, get_next_week_day

pytestmark = pytest.mark.django_db  # working days read the holiday override table

D = datetime.date
FRIDAY = D(2026, 11, 27)


def test_the_coming_visit_day_is_the_next_friday_or_today():
    assert get_next_week_day(D(2026, 11, 23)) == FRIDAY  # Monday
    assert get_next_week_day(FRIDAY) == FRIDAY
    assert get_next_week_day(D(2026, 11, 28)) == D(2026, 12, 4)  # Saturday


def test_the_visit_day_is_a_setting(settings):
    settings.GRID_VISIT_WEEKDAY = 1  # Tuesday
    assert get_next_week_day(D(2026, 11, 25)) == D(2026, 12, 1)


def test_an_ordinary_friday_is_due_on_the_friday():
    assert get_due_date(FRIDAY) == FRIDAY


def test_a_holiday_friday_moves_to_the_working_day_before_it():
    assert get_due_date(D(2026, 6, 19)) == D(2026, 6, 18)  # 端午节: Thursday
    assert get_due_date(D(2026, 10, 2)) == D(2026, 9, 30)  # 国庆节: Wednesday


def test_a_week_without_any_working_day_has_no_visit():
    assert get_due_date(D(2026, 2, 20)) is None  # 春节


def test_planning_gives_every_team_a_task_for_each_of_its_grids(demo):
    result = do_plan_visits(D(2026, 11, 23))
    tasks = VisitTask.objects.filter(week_day=FRIDAY)
    pairs = Grid.objects.filter(teams__isnull=False).count()
    assert tasks.count() == pairs
    assert set(tasks.values_list("due_date", flat=True)) == {FRIDAY}
    # and the week after, planned ahead
    assert VisitTask.objects.filter(week_day=FRIDAY + datetime.timedelta(days=7)).count() == pairs
    assert result == {"created": 2 * pairs, "missed": 0}
    several = Team.objects.filter(kind=TeamKind.GRID).annotate(n=Count("grids")).filter(n__gt=1).first()
    assert tasks.filter(team=several).count() == several.grids.count() > 1


def test_planning_twice_changes_nothing(demo):
    do_plan_visits(D(2026, 11, 23))
    before = VisitTask.objects.count()
    assert do_plan_visits(D(2026, 11, 24)) == {"created": 0, "missed": 0}
    assert VisitTask.objects.count() == before


def test_a_holiday_week_is_planned_on_the_moved_day_once(demo):
    do_plan_visits(D(2026, 9, 28))
    do_plan_visits(D(2026, 9, 29))
    tasks = VisitTask.objects.filter(week_day=D(2026, 10, 2))
    assert tasks.exists()
    assert set(tasks.values_list("due_date", flat=True)) == {D(2026, 9, 30)}
    assert tasks.count() == Grid.objects.filter(teams__isnull=False).count()


def test_a_planned_task_whose_day_has_passed_is_missed(demo, liuheng_grid):
    do_plan_visits(D(2026, 11, 23))
    result = do_plan_visits(D(2026, 11, 28))
    task = VisitTask.objects.get(grid=liuheng_grid, week_day=FRIDAY)
    assert task.state == TaskState.MISSED
    assert result["missed"] == VisitTask.objects.filter(week_day=FRIDAY).count()
    assert VisitTask.objects.get(grid=liuheng_grid, week_day=D(2026, 12, 4)).state == TaskState.PLANNED


def test_the_command_enqueues_the_task(demo, capsys):
    # tests run the immediate backend: the task has run when enqueue returns
    call_command("plan_visits", "--today", "2026-11-23")
    assert "SUCCESSFUL" in capsys.readouterr().out
    assert VisitTask.objects.filter(week_day=FRIDAY).exists()


@pytest.mark.parametrize("today", [D(2026, 11, 27)])
def test_a_visit_on_the_day_marks_the_task_done(demo, cast, liuheng_grid, today, monkeypatch):
    from django.utils import timezone

    from yiwang.grids.actions import do_log_visit

    do_plan_visits(D(2026, 11, 23))
    monkeypatch.setattr(timezone, "localdate", lambda *a: today)
    visit = do_log_visit(liuheng_grid, by=cast.grid_worker, date=today, households_visited=12)
    assert visit.task.week_day == FRIDAY
    assert VisitTask.objects.get(pk=visit.task_id, team=visit.team).state == TaskState.DONE
