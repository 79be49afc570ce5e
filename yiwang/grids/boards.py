"""日清月结、动态清零: the board for a grid, a village, a town or the district, and the month-end
settlement. Every figure is a count over the rows themselves, so the board and the data cannot drift.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from yiwang.areas.models import Area
from yiwang.core.codes import Level
from yiwang.core.scope import user_can
from yiwang.grids.models import FINAL_STATES, Grid, Problem, State, TaskState, Visit, VisitTask

# Age of an open problem in calendar days since it was reported: (label, lowest, highest)
AGE_BUCKETS = [("0–1", 0, 1), ("2–7", 2, 7), ("8–30", 8, 30), (">30", 31, None)]


@dataclass
class BoardScope:
    """What a board covers: an area subtree, or one grid."""

    code: str
    name: str
    level: str
    area: Area
    grid: Grid | None = None

    def problems(self):
        qs = Problem.objects.all()
        return qs.filter(grid=self.grid) if self.grid else qs.in_area(self.code)

    def visits(self):
        qs = Visit.objects.all()
        return qs.filter(grid=self.grid) if self.grid else qs.in_area(self.code)

    def tasks(self):
        qs = VisitTask.objects.all()
        return qs.filter(grid=self.grid) if self.grid else qs.in_area(self.code)

    def children(self) -> list[BoardScope]:
        """The boards one level down: towns, villages, grids."""
        if self.grid:
            return []
        if self.area.level == Level.VILLAGE:
            return [grid_scope(g) for g in Grid.objects.filter(area=self.area, active=True).select_related("area")]
        return [area_scope(a) for a in Area.objects.filter(parent=self.area).order_by("code")]


def area_scope(area: Area) -> BoardScope:
    return BoardScope(code=area.code, name=area.name, level=area.get_level_display(), area=area)


def grid_scope(grid: Grid) -> BoardScope:
    return BoardScope(code=grid.code, name=f"{grid.area.name}{grid.name}", level=str(_("Grid")), area=grid.area,
                      grid=grid)


def get_scope_for(user, code: str) -> BoardScope:
    """The board `code` names (an area code or a grid code), if `user` may read grids there; else 404."""
    grid = Grid.objects.select_related("area").filter(code=code).first()
    if grid is not None:
        scope = grid_scope(grid)
    else:
        area = Area.objects.filter(code=code).first()
        if area is None or area.level not in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
            raise Http404
        scope = area_scope(area)
    if not user_can(user, "grid.view", scope.area.code):
        raise Http404
    return scope


def get_home_scope_code(user) -> str | None:
    """The widest area where `user` may read grids: where their board opens."""
    from yiwang.core.scope import get_area_prefixes
    from yiwang.grids.actions import get_district_code

    prefixes = get_area_prefixes(user, "grid.view")
    if prefixes is None:
        return get_district_code()
    return min(prefixes, key=len) if prefixes else None


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


@dataclass
class Board:
    scope: BoardScope
    today: datetime.date
    new_today: int = 0
    new_today_not_accepted: int = 0
    cleared_today: int = 0
    open: int = 0
    overdue: int = 0
    parked: int = 0
    ages: list = field(default_factory=list)
    by_state: list = field(default_factory=list)
    overdue_rows: list = field(default_factory=list)
    visits_this_week: int = 0
    missed_this_week: int = 0
    rows: list = field(default_factory=list)


def get_counts(scope: BoardScope, today: datetime.date) -> dict:
    """The headline counts of one board (also used for each row of the children)."""
    start, end = _day_bounds(today)
    problems = scope.problems()
    return problems.aggregate(
        new_today=Count("id", filter=Q(reported_at__gte=start, reported_at__lt=end)),
        new_today_not_accepted=Count(
            "id", filter=Q(reported_at__gte=start, reported_at__lt=end, state=State.REPORTED)
        ),
        cleared_today=Count("id", filter=Q(state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)),
        open=Count("id", filter=~Q(state__in=FINAL_STATES)),
        parked=Count("id", filter=Q(state=State.PARKED)),
    ) | {"overdue": problems.overdue(today).count()}


def get_board(scope: BoardScope, today: datetime.date | None = None) -> Board:
    """Everything the board shows for `scope` on `today`."""
    today = today or timezone.localdate()
    board = Board(scope=scope, today=today, **get_counts(scope, today))
    open_problems = scope.problems().open()
    for label, low, high in AGE_BUCKETS:
        # reported on or before (today - low) days, and after (today - high - 1)
        q = Q(reported_at__lt=_day_bounds(today - datetime.timedelta(days=low))[1])
        if high is not None:
            q &= Q(reported_at__gte=_day_bounds(today - datetime.timedelta(days=high))[0])
        board.ages.append((label, open_problems.filter(q).count()))
    labels = dict(State.choices)
    board.by_state = [
        (labels[row["state"]], row["n"])
        for row in open_problems.values("state").annotate(n=Count("id")).order_by("state")
    ]
    board.overdue_rows = list(
        scope.problems().overdue(today).select_related("grid", "area").order_by("reported_at")[:50]
    )
    monday = today - datetime.timedelta(days=today.weekday())
    board.visits_this_week = scope.visits().filter(date__gte=monday, date__lte=today).count()
    board.missed_this_week = scope.tasks().filter(
        state=TaskState.MISSED, due_date__gte=monday, due_date__lte=today
    ).count()
    board.rows = [(child, get_counts(child, today)) for child in scope.children()]
    return board


# ---------------------------------------------------------------------------------------------- month end


@dataclass
class MonthReport:
    scope: BoardScope
    year: int
    month: int
    start: datetime.date
    end: datetime.date  # last day of the month
    made_at: datetime.datetime
    visits: int
    households: int
    missed: int
    reported: int
    cleared: list
    carried: list  # (problem, why)

    @property
    def period(self) -> str:
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"

    @staticmethod
    def _what(problem: Problem) -> str:
        # Category, description and the problem's own number in one cell: a row of few cells is what
        # keeps a month of a district (hundreds of rows) quick to lay out as PDF.
        return f"【{problem.get_category_display()}】{Truncator(problem.description).chars(100)} #{problem.pk}"

    @staticmethod
    def _where(problem: Problem) -> str:
        return f"{problem.area.name}{problem.grid.name}" if problem.grid else str(_("Triage"))

    @cached_property
    def cleared_rows(self) -> list[tuple]:
        """(序号 1…n, what, where, closed on) for each problem cleared in the month."""
        return [(n, self._what(p), self._where(p), f"{timezone.localtime(p.closed_at):%Y-%m-%d}")
                for n, p in enumerate(self.cleared, start=1)]

    @cached_property
    def carried_rows(self) -> list[tuple]:
        """(序号 1…n, what, where, reported on, why) for each problem carried over."""
        return [(n, self._what(p), self._where(p), f"{timezone.localtime(p.reported_at):%Y-%m-%d}", why)
                for n, (p, why) in enumerate(self.carried, start=1)]


def get_carry_reason(problem: Problem, month_end: datetime.date) -> str:
    """Why `problem` was not cleared by the end of the month, in words for the report."""
    if problem.state == State.PARKED:
        return _("Parked: %(reason)s") % {"reason": problem.parked_reason}
    if problem.state == State.CLOSED:
        return _("Closed after the month end, on %(date)s") % {"date": f"{timezone.localtime(problem.closed_at):%Y-%m-%d}"}
    if problem.state == State.REFERRED and problem.case_id:
        return _("In mediation as case %(number)s") % {"number": problem.case.number}
    reason = problem.get_state_display()
    if problem.state == State.EXTENSION_REQUESTED:
        reason += _(" (extension of %(days)s working days asked)") % {"days": problem.extension_days}
    if problem.is_overdue(month_end):
        reason += _("; overdue")
    else:
        due = problem.handle_due or problem.accept_due
        reason += _("; due %(date)s") % {"date": f"{due:%Y-%m-%d}"}
    return reason


def get_month_report(scope: BoardScope, year: int, month: int) -> MonthReport:
    """月结: what was cleared in the month, what is carried over into the next and why, and the
    month's visits and reports."""
    start = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    end = following - datetime.timedelta(days=1)
    period_start, period_end = _day_bounds(start)[0], _day_bounds(following)[0]
    problems = scope.problems().select_related("grid", "area", "assigned_organisation", "assigned_team", "case")
    cleared = list(
        problems.filter(state=State.CLOSED, closed_at__gte=period_start, closed_at__lt=period_end)
        .order_by("closed_at")
    )
    carried = [
        (p, get_carry_reason(p, end))
        for p in problems.filter(reported_at__lt=period_end)
        .exclude(state=State.INVALID)
        .exclude(closed_at__lt=period_end)
        .order_by("reported_at")
    ]
    figures = get_figures(scope, start, end)
    return MonthReport(
        scope=scope, year=year, month=month, start=start, end=end, made_at=timezone.localtime(),
        visits=figures.visits, households=figures.households, missed=figures.missed, reported=figures.reported,
        cleared=cleared, carried=carried,
    )


# ---------------------------------------------------------------------------------------------- figures


@dataclass
class Figures:
    """Visits made and problems solved in an area over a period, straight from the rows."""

    scope: BoardScope
    visits: int
    households: int
    missed: int
    reported: int
    solved: int


def get_figures(scope: BoardScope, start: datetime.date, end: datetime.date) -> Figures:
    """The seed's figures (走访次数, 解决问题数) for `scope` from `start` to `end`, both included."""
    period_start, period_end = _day_bounds(start)[0], _day_bounds(end)[1]
    visits = scope.visits().filter(date__gte=start, date__lte=end)
    problems = scope.problems()
    return Figures(
        scope=scope,
        visits=visits.count(),
        households=sum(visits.values_list("households_visited", flat=True)),
        missed=scope.tasks().filter(state=TaskState.MISSED, due_date__gte=start, due_date__lte=end).count(),
        reported=problems.filter(reported_at__gte=period_start, reported_at__lt=period_end).count(),
        solved=problems.filter(state=State.CLOSED, closed_at__gte=period_start, closed_at__lt=period_end).count(),
    )
