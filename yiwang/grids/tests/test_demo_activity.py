"""The demo's grid activity (`yiwang demo` after the master data): ten weeks of visits and a few months
of problems that look like a working district and hold every rule the actions hold."""

import datetime
import io
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from yiwang.cases.models import CLOSED_STATUSES
from yiwang.core.calendar import add_working_days
from yiwang.grids.actions import ACCEPT_WORKDAYS, HANDLE_WORKDAYS
from yiwang.grids.boards import get_board, get_figures, get_month_report, get_scope_for
from yiwang.grids.demo import load_activity
from yiwang.grids.models import (
    FINAL_STATES,
    HANDLING_STATES,
    Category,
    Grid,
    Problem,
    ProblemEvent,
    State,
    TaskState,
    Visit,
    VisitTask,
)
from yiwang.grids.schedule import get_due_date, get_week_day

pytestmark = pytest.mark.xdist_group("demo_grids")  # one worker loads the full demo once for this module


def today():
    """The app's local date now (never frozen at import: a run may cross midnight in Shanghai)."""
    return timezone.localdate()


@pytest.fixture
def activity(full_demo, demo):
    """The full demo: the grids' activity refers grid disputes to the demo's cases, so it needs them."""


def _snapshot():
    return (
        sorted(Problem.objects.values_list("token", "state", "version", "updated_at", "handle_due")),
        ProblemEvent.objects.count(),
        sorted(Visit.objects.values_list("grid_id", "date", "households_visited")),
        sorted(VisitTask.objects.values_list("team_id", "grid_id", "week_day", "state")),
    )


def test_running_it_twice_changes_nothing(activity):
    before = _snapshot()
    assert len(before[0]) > 300 and len(before[2]) > 1000
    lines = []
    load_activity(lines.append)
    assert _snapshot() == before
    assert "present" in lines[-1]


def test_every_state_category_and_channel_is_present(activity):
    problems = Problem.objects.all()
    assert set(problems.values_list("state", flat=True)) == set(State.values)
    assert set(problems.values_list("category", flat=True)) == set(Category.values)
    assert set(problems.values_list("channel", flat=True)) == {"visit", "web", "open311"}
    assert problems.filter(state=State.CLOSED).count() > problems.count() / 2  # mostly cleared
    assert problems.filter(description__contains="滞销").exists()  # unsold fruit after a typhoon
    assert problems.filter(grid=None, state=State.REPORTED).exists()  # the district's triage queue


def test_each_problem_is_as_its_timeline_left_it(activity):
    now = timezone.now()
    events = defaultdict(list)
    for event in ProblemEvent.objects.order_by("at", "id"):
        events[event.problem_id].append(event)
    problems = list(Problem.objects.select_related("case"))
    for problem in problems:
        timeline = events[problem.pk]
        steps = [e.verb for e in timeline]
        assert steps[0] == "reported" and timeline[0].at == problem.reported_at, problem
        for before, after in zip(timeline, timeline[1:], strict=False):
            assert after.from_state == before.to_state and before.at <= after.at, (problem, steps)
        assert timeline[-1].to_state == problem.state and timeline[-1].at <= now, (problem, steps)
        assert problem.version == len(timeline) and problem.updated_at == timeline[-1].at
        assert problem.accept_due == add_working_days(
            timezone.localtime(problem.reported_at).date(), ACCEPT_WORKDAYS)
        if "accept" in steps:
            accepted = timezone.localtime(timeline[steps.index("accept")].at).date()
            if "decide_extension" not in steps:
                assert problem.handle_due == add_working_days(accepted, HANDLE_WORKDAYS), problem
            assert problem.handle_due >= add_working_days(accepted, HANDLE_WORKDAYS)
        assert (problem.accepted_at is not None) == bool({"accept", "refer_to_mediation"} & set(steps))
        if problem.state in HANDLING_STATES:
            assert problem.handle_due is not None and problem.grid_id is not None, problem
        if problem.state == State.CLOSED:
            assert problem.outcome and problem.closed_at == timeline[-1].at, problem
        else:
            assert problem.closed_at is None, problem
        if problem.state in (State.DISPATCHED, State.SIGNED_FOR, State.IN_PROGRESS, State.FEEDBACK,
                             State.VERIFYING, State.EXTENSION_REQUESTED, State.PARKED):
            assert (problem.assigned_organisation_id is None) != (problem.assigned_team_id is None), problem
        if problem.state == State.RETURNED:
            assert problem.assigned_organisation_id is None and problem.assigned_team_id is None
            assert timeline[-1].note
        assert bool(problem.parked_reason) == (problem.state == State.PARKED), problem
        assert (problem.extension_days is not None) == (problem.state == State.EXTENSION_REQUESTED), problem
        if problem.state in (State.INVALID, State.PARKED, State.RETURNED, State.EXTENSION_REQUESTED):
            assert timeline[-1].note, (problem, steps)
        if problem.state == State.REFERRED:
            assert problem.case.is_open and problem.case.status not in CLOSED_STATUSES
        if problem.case_id:
            assert problem.category == Category.DISPUTE and problem.case.channel == "grid"
            assert problem.case.area_id == problem.area_id and problem.case.number in timeline[
                steps.index("refer_to_mediation")].note
            assert problem.state == (State.REFERRED if problem.case.is_open else State.CLOSED)
        if problem.grid_id:
            assert problem.area_id == Grid.objects.get(pk=problem.grid_id).area_id
        if problem.visit_id:
            assert problem.visit.grid_id == problem.grid_id
            assert timezone.localtime(problem.reported_at).date() == problem.visit.date
    assert any(p.is_overdue(today()) for p in problems)


def test_visits_fill_the_past_visit_days_mostly_done_some_missed(activity):
    week_days = [get_week_day(today()) - datetime.timedelta(days=7 * n) for n in range(10)]
    past = [w for w in week_days if get_due_date(w) and get_due_date(w) < today()]
    pairs = set(Grid.objects.filter(active=True).values_list("teams__id", "id"))
    for week_day in past:
        tasks = VisitTask.objects.filter(week_day=week_day)
        assert set(tasks.values_list("team_id", "grid_id")) == pairs
        assert not tasks.filter(state=TaskState.PLANNED).exists()
    tasks = VisitTask.objects.filter(week_day__in=past)
    missed = tasks.filter(state=TaskState.MISSED).count()
    assert 0 < missed < tasks.count() * 0.15
    assert not Visit.objects.filter(task__state=TaskState.MISSED).exists()
    done = tasks.filter(state=TaskState.DONE)
    assert Visit.objects.filter(task__in=done).count() == done.count()
    for visit in Visit.objects.select_related("task")[:500]:
        assert visit.task.due_date <= visit.date <= today()
        assert visit.date - visit.task.due_date < datetime.timedelta(days=7 - visit.task.due_date.weekday())
        assert visit.area_id == visit.task.area_id and visit.team_id == visit.task.team_id
    assert Visit.objects.filter(members_present__isnull=False).distinct().count() == Visit.objects.count()


def _raw(problems, keep):
    """The board's counts, by hand from the rows."""
    mine = [p for p in problems if keep(p)]
    return {
        "new_today": sum(timezone.localtime(p.reported_at).date() == today() for p in mine),
        "cleared_today": sum(p.state == State.CLOSED and timezone.localtime(p.closed_at).date() == today()
                             for p in mine),
        "open": sum(p.state not in FINAL_STATES for p in mine),
        "overdue": sum(p.is_overdue(today()) for p in mine),
        "parked": sum(p.state == State.PARKED for p in mine),
    }


@pytest.mark.parametrize("code", ["330903", "330903100"])
def test_the_boards_count_the_rows_and_show_today(activity, cast, code):
    board = get_board(get_scope_for(cast.admin, code), today())
    expected = _raw(list(Problem.objects.all()), lambda p: p.area_id.startswith(code))
    assert {k: getattr(board, k) for k in expected} == expected
    assert board.new_today > 0 and board.cleared_today > 0 and board.overdue > 0 and board.parked > 0
    assert sum(n for _label, n in board.ages) == board.open
    for child, counts in board.rows:
        assert counts["open"] == sum(p.state not in FINAL_STATES for p in Problem.objects.in_area(child.code))


def test_the_town_staff_see_their_board_alive(activity, cast):
    page = cast.client("liuheng_staff").get(reverse("grids:board", args=["330903100"]))
    assert page.status_code == 200
    board = page.context["board"]
    monday = today() - datetime.timedelta(days=today().weekday())
    assert board.visits_this_week == Visit.objects.in_area("330903100").filter(date__gte=monday).count()
    assert board.overdue_rows and all(p.area_id.startswith("330903100") for p in board.overdue_rows)
    assert f'<strong id="overdue">{board.overdue}</strong>' in page.content.decode()


def test_the_figures_page_shows_visits_made_and_problems_solved(activity, cast):
    start, end = today() - datetime.timedelta(days=100), today()
    page = cast.client("putuo_leader").get(
        reverse("grids:figures", args=["330903"]), {"start": start.isoformat(), "end": end.isoformat()}
    )
    assert page.status_code == 200
    total = page.context["total"]
    assert total.visits == Visit.objects.filter(date__gte=start).count() > 1000
    solved = [p for p in Problem.objects.filter(state=State.CLOSED)
              if start <= timezone.localtime(p.closed_at).date() <= end]
    assert total.solved == len(solved) > 100  # about 55 a month, as many as the visits find
    assert sum(row.visits for row in page.context["rows"]) == total.visits


def test_last_months_settlement_has_cleared_and_carried_over(activity, cast):
    last = today().replace(day=1) - datetime.timedelta(days=1)
    report = get_month_report(get_scope_for(cast.admin, "330903100"), last.year, last.month)
    assert report.visits > 0 and report.cleared and report.carried
    assert all(why for _problem, why in report.carried)
    assert get_figures(get_scope_for(cast.admin, "330903100"), report.start, report.end).solved == len(report.cleared)


def test_the_demo_command_loads_the_activity_once_and_the_statistics_see_it(demo, settings):
    from django.core.management import call_command

    from yiwang.stats.aggregates import rebuild
    from yiwang.stats.models import Cell

    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    assert Problem.objects.count() > 300
    before, cells = _snapshot(), Cell.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert _snapshot() == before and Cell.objects.count() == cells
    rebuild()
    assert Cell.objects.count() == cells  # the statistics were rebuilt after the activity, not before
