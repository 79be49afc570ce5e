"""What the disputes app adds to the pages of the apps below it (yiwang.core.registry), registered from
CasesConfig.ready(): two tiles on the home page."""

from yiwang.core import registry
from yiwang.core.scope import user_can


def get_home_tiles(user) -> dict | None:
    """The user's open cases and the overdue ones in their area; nothing for someone who sees no case."""
    from yiwang.cases.models import Case

    if not user_can(user, "case.view"):
        return None
    from yiwang.cases.views import get_own_organisation

    visible = Case.objects.visible_to(user, "case.view")
    tile = {"mine": visible.open().mine(user).count(), "overdue": visible.overdue().count()}
    organisation = get_own_organisation(user)
    if organisation is not None:  # a bank's operator, a court's liaison: their organisation's own cases
        tile.update(organisation=organisation, open=visible.open().count(), total=visible.count())
    return tile


def register() -> None:
    registry.home_tiles.register(registry.HomeTile(
        name="cases.queue", template="cases/_home_tiles.html", context=get_home_tiles, order=10))
