"""What the grids app adds to the apps below it, registered from GridsConfig.ready(): a problem referred
as a case follows it (hook core.hooks.case_changed), and the case page shows the grid problems the case
came from (core.registry.case_panels)."""

from yiwang.core import hooks, registry


def get_case_problems(case, user, *, full_pii: bool = False) -> list[dict]:
    """The problems referred as `case`, oldest first, each linked when the reader may open it."""
    from yiwang.grids.models import Problem

    problems = Problem.objects.filter(case=case).select_related("area", "grid").order_by("reported_at", "id")
    visible = set(Problem.objects.visible_to(user, "grid.view").filter(case=case).values_list("pk", flat=True))
    return [{"problem": p, "visible": p.pk in visible} for p in problems]


def register() -> None:
    from yiwang.grids import actions

    hooks.case_changed.connect(actions.follow_case)
    registry.case_panels.register(registry.CasePanel(
        name="grids.problems", template="grids/_case_panel.html", context=get_case_problems, slot="main",
        order=10))
