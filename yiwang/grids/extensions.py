"""What the grids app adds to the apps below it, registered from GridsConfig.ready(): a problem referred
as a case follows it (hook core.hooks.case_changed), the case page shows the grid problems the case
came from (core.registry.case_panels), and the home page shows each reader's grid work (home_tiles): the
grid worker's visits of the week with the 登记走访 button, a unit's dispatched problems, what waits to be
verified on site or accepted."""

import datetime

from django.utils import timezone

from yiwang.core import hooks, registry
from yiwang.core.scope import user_can

# Problems a handler has in hand: dispatched to them and not yet fed back.
IN_HAND = ("dispatched", "signed_for", "in_progress", "extension_requested")
HOME_ROWS = 5


def get_case_problems(case, user, *, full_pii: bool = False) -> list[dict]:
    """The problems referred as `case`, oldest first, each linked when the reader may open it."""
    from yiwang.grids.models import Problem

    problems = Problem.objects.filter(case=case).select_related("area", "grid").order_by("reported_at", "id")
    visible = set(Problem.objects.visible_to(user, "grid.view").filter(case=case).values_list("pk", flat=True))
    return [{"problem": p, "visible": p.pk in visible} for p in problems]


def get_week_tile(user) -> dict | None:
    """This week's visit tasks of the grids the reader visits (grid.visit), and where the 登记走访 button
    opens the visit form: on the first grid still to be visited this week."""
    from yiwang.grids.actions import get_grids_for_visits
    from yiwang.grids.models import Problem, TaskState, VisitTask

    if not user_can(user, "grid.visit"):
        return None
    grids = get_grids_for_visits(user)
    if not grids.exists():
        return None
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    tasks = list(
        VisitTask.objects.visible_to(user, "grid.visit").filter(
            grid__in=grids, week_day__range=(monday, monday + datetime.timedelta(days=6)))
        .select_related("grid__area", "team").order_by("due_date", "grid__code")
    )
    planned = [t for t in tasks if t.state == TaskState.PLANNED]
    to_verify = Problem.objects.visible_to(user, "grid.verify").filter(state__in=("feedback", "verifying"))
    return {
        "tasks": tasks, "planned": len(planned), "done": sum(t.state == TaskState.DONE for t in tasks),
        "grid": (planned[0].grid if planned else grids.order_by("code").first()), "today": today,
        "to_verify": to_verify.count(),
    }


def get_problems_tile(user) -> dict | None:
    """Grid problems waiting for the reader: in hand to sign for and handle (grid.handle; for a unit's
    account, what is dispatched to the unit), and to accept (grid.dispatch, where the reader coordinates)."""
    from yiwang.grids.actions import may_handle
    from yiwang.grids.models import Problem

    handling = user_can(user, "grid.handle")
    dispatching = user_can(user, "grid.dispatch")
    if not (handling or dispatching):
        return None
    context = {"in_hand": [], "to_sign": 0, "to_accept": None, "overdue": None, "unit": None}
    if handling:
        rows = (Problem.objects.visible_to(user, "grid.handle").filter(state__in=IN_HAND)
                .exclude(assigned_organisation=None, assigned_team=None)
                .select_related("grid", "area", "assigned_organisation").order_by("handle_due", "pk")[:200])
        mine = [p for p in rows if may_handle(user, p)]
        context.update(in_hand=mine[:HOME_ROWS], in_hand_count=len(mine),
                       to_sign=sum(p.state == "dispatched" for p in mine), today=timezone.localdate())
        units = {g.organisation for g in user.grants.select_related("organisation")
                 if g.organisation_id and "grid.handle" in g.role.actions}
        context["unit"] = "、".join(sorted(str(u) for u in units)) or None
    if dispatching:
        visible = Problem.objects.visible_to(user, "grid.dispatch")
        context["to_accept"] = visible.filter(state="reported").count()
        context["overdue"] = visible.overdue(timezone.localdate()).count()
    if not (context["in_hand"] or context["unit"] or dispatching):
        return None
    return context


def register() -> None:
    from yiwang.grids import actions

    hooks.case_changed.connect(actions.follow_case)
    registry.case_panels.register(registry.CasePanel(
        name="grids.problems", template="grids/_case_panel.html", context=get_case_problems, slot="main",
        order=10))
    registry.home_tiles.register(registry.HomeTile(
        name="grids.week", template="grids/_home_week.html", context=get_week_tile, order=1))
    registry.home_tiles.register(registry.HomeTile(
        name="grids.problems", template="grids/_home_problems.html", context=get_problems_tile, order=15))
