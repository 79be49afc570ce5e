from django import template

from yiwang.core.scope import user_can

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """`{% if user|can:"case.intake" %}`: whether the user holds `action` anywhere."""
    return user_can(user, action)
