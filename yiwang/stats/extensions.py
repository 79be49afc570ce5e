"""What the statistics app adds to the apps below it, registered from StatsConfig.ready(): it follows
every case, problem and visit through the hooks of yiwang.core.hooks (the cells change in the action's
transaction), and puts a tile on the home page (yiwang.core.registry)."""

import datetime as dt

from django.utils import timezone

from yiwang.core import hooks, registry
from yiwang.core.scope import user_can


def get_home_tile(user) -> dict | None:
    """The link to the dashboard, with this year's headline figure; nothing without stats.view."""
    from yiwang.stats.actions import get_default_area
    from yiwang.stats.figures import get_case_figures

    if not user_can(user, "stats.view"):
        return None
    code = get_default_area(user)
    if code is None:
        return None
    today = timezone.localdate()
    figures = get_case_figures(code, dt.date(today.year, 1, 1), today)
    return {"received": figures["received"], "yoy": figures["yoy_change_percent"]}


def register() -> None:
    from yiwang.stats import aggregates

    hooks.case_changed.connect(aggregates.follow_case)
    hooks.cases_registered.connect(aggregates.follow_registered)
    hooks.problem_changed.connect(aggregates.follow_problem)
    hooks.visit_changed.connect(aggregates.follow_visit)
    registry.home_tiles.register(registry.HomeTile(
        name="stats.dashboard", template="stats/home_tile.html", context=get_home_tile, order=20))
