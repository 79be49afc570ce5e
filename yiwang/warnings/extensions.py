"""What the warnings app adds to the apps below it, registered from WarningsConfig.ready(): the instant
rules run on every case and grid problem change (core.hooks, inside the action's transaction), the case
page lists the warnings behind the case (core.registry.case_panels) and the home page counts the open
ones (core.registry.home_tiles)."""

from yiwang.core import hooks, registry
from yiwang.core.scope import user_can


def on_case_changed(case, event) -> None:
    from yiwang.warnings import engine

    engine.evaluate_case(case, event)


def on_problem_changed(old, problem) -> None:
    from yiwang.warnings import engine

    engine.evaluate_problem(old, problem)


def get_case_warnings(case, user, *, full_pii: bool = False) -> list | None:
    """The warnings the case is part of that the reader may see, newest first; None hides the card."""
    from yiwang.warnings.models import Warning

    if not user_can(user, "warning.view"):
        return None
    return list(Warning.objects.visible_to(user, "warning.view").filter(cases=case).select_related("rule")) or None


def get_home_tile(user) -> dict | None:
    from yiwang.warnings.models import Level, Warning

    if not user_can(user, "warning.view"):
        return None
    visible = Warning.objects.visible_to(user, "warning.view").open()
    return {"open": visible.count(), "red": visible.filter(level=Level.RED).count()}


def register() -> None:
    hooks.case_changed.connect(on_case_changed)
    hooks.problem_changed.connect(on_problem_changed)
    registry.case_panels.register(registry.CasePanel(
        name="warnings.case", template="warnings/_case_panel.html", context=get_case_warnings, slot="aside",
        order=5))
    registry.home_tiles.register(registry.HomeTile(
        name="warnings.open", template="warnings/_home_tile.html", context=get_home_tile, order=5))
