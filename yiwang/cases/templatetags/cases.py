"""Template tags for pages outside the cases app (the home page's tiles)."""

from django import template

from yiwang.cases.models import Case

register = template.Library()


@register.inclusion_tag("cases/_home_tiles.html")
def case_tiles(user):
    """Two tiles for the home page: the user's open cases and the overdue ones in their area."""
    visible = Case.objects.visible_to(user, "case.view")
    return {"mine": visible.open().mine(user).count(), "overdue": visible.overdue().count()}
