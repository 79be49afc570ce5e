"""Template tags for pages outside the cases app (the home page's tiles)."""

from django import template
from django.db.models import Q

from yiwang.cases.models import Assignment, Case

register = template.Library()


@register.inclusion_tag("cases/_home_tiles.html")
def case_tiles(user):
    """Two tiles for the home page: the user's open cases and the overdue ones in their area."""
    visible = Case.objects.visible_to(user, "case.view")
    mine = visible.open().filter(
        Q(owner=user) | Q(pk__in=Assignment.objects.filter(mediator=user, recused_at__isnull=True).values("case_id"))
    )
    return {"mine": mine.count(), "overdue": visible.overdue().count()}
