"""What the disputes app adds to the pages of the apps below it (yiwang.core.registry), registered from
CasesConfig.ready(): two tiles on the home page."""

from yiwang.core import registry
from yiwang.core.scope import user_can


def get_home_tiles(user) -> dict | None:
    """The user's open cases and the overdue ones in their area; nothing for someone who sees no case."""
    from yiwang.cases.models import Case

    if not user_can(user, "case.view"):
        return None
    visible = Case.objects.visible_to(user, "case.view")
    return {"mine": visible.open().mine(user).count(), "overdue": visible.overdue().count()}


def register() -> None:
    registry.home_tiles.register(registry.HomeTile(
        name="cases.queue", template="cases/_home_tiles.html", context=get_home_tiles, order=10))
