"""{% stats_tile user %}: the home page's link to the dashboard, with this year's headline figure."""

import datetime as dt

from django import template
from django.utils import timezone

from yiwang.stats.actions import get_default_area
from yiwang.stats.figures import get_case_figures

register = template.Library()


@register.inclusion_tag("stats/home_tile.html")
def stats_tile(user):
    code = get_default_area(user)
    if code is None:
        return {"show": False}
    today = timezone.localdate()
    figures = get_case_figures(code, dt.date(today.year, 1, 1), today)
    return {"show": True, "received": figures["received"], "yoy": figures["yoy_change_percent"]}
