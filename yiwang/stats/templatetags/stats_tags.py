"""How the dashboard writes a change: a + sign on increases, two places, as Chinese statistical reports do."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def signed(value) -> str:
    """12.5 → "+12.50", −3 → "-3.00", 0 → "0.00", None → "—"."""
    if value is None or value == "":
        return "—"
    text = number_format(abs(value), 2)
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else text)
