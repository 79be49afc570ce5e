"""Scope lives here: which area subtrees a user may see or act in, and the queryset that applies it.

A user holds grants (role → area). A role is a set of action codes. A user may take an action on an
object when one of their grants carries that action on an area whose code prefixes the object's area
code. Every read of a scoped model goes through `visible_to`; out of scope looks exactly like missing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.http import Http404

from yiwang.core.codes import ancestor_codes

VIEW = "area.view"


def _model(name: str):
    # Grants live in accounts, which builds on core: read them through the app registry so
    # that core imports no app above it.
    return apps.get_model("accounts", name)


def _reduce(prefixes: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one, so queries carry as few terms as possible."""
    kept: list[str] = []
    for code in sorted(prefixes, key=len):
        if not any(code.startswith(shorter) for shorter in kept):
            kept.append(code)
    return tuple(sorted(kept))


def get_grants(user) -> list:
    """The user's grants with roles, read once per user object (per request)."""
    cached = getattr(user, "_yiwang_grants", None)
    if cached is None:
        cached = list(_model("Grant").objects.filter(user_id=user.pk).select_related("role", "area"))
        user._yiwang_grants = cached
    return cached


def get_users_who_can(action: str, area_code: str):
    """Active users holding `action` on a grant that covers `area_code` (superusers aside): the people
    who may be named for a case, e.g. its mediators or the leader in charge (包案)."""
    grants = _model("Grant").objects.select_related("role").filter(user__is_active=True, area_id__in=ancestor_codes(area_code))
    ids = {grant.user_id for grant in grants if action in grant.role.actions}
    return get_user_model().objects.filter(pk__in=ids).order_by("display_name", "username")


def get_area_prefixes(user, action: str = VIEW) -> tuple[str, ...] | None:
    """Area codes under which `user` may take `action`; None means everywhere (a superuser)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    if user.is_superuser:
        return None
    return _reduce({g.area_id for g in get_grants(user) if action in g.role.actions})


def user_can(user, action: str, area_code: str | None = None) -> bool:
    """Whether `user` may take `action` on `area_code` (or anywhere at all when no area is given)."""
    prefixes = get_area_prefixes(user, action)
    if prefixes is None:
        return True
    if area_code is None:
        return bool(prefixes)
    return any(area_code.startswith(p) for p in prefixes)


def area_q(field: str, prefixes: tuple[str, ...]) -> Q:
    """A filter matching `field` (an area code column) under any of `prefixes`."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{field}__startswith": prefix})
    return q


class ScopedQuerySet(models.QuerySet):
    """A queryset for models that belong to an area. `area_field` is the lookup path to the area code:
    `area__code` for a foreign key to Area (Django reads it from the key column, without a join)."""

    area_field = "area__code"

    def visible_to(self, user, action: str = VIEW):
        prefixes = get_area_prefixes(user, action)
        if prefixes is None:
            return self.all()
        if not prefixes:
            return self.none()
        return self.filter(area_q(self.area_field, prefixes))

    def in_area(self, code: str):
        """Everything in the subtree under division `code`."""
        return self.filter(**{f"{self.area_field}__startswith": code})

    def get_visible_or_404(self, user, action: str = VIEW, **lookup):
        try:
            return self.visible_to(user, action).get(**lookup)
        except (self.model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def area_code_of(obj) -> str:
    """The area code a scoped object belongs to, read from the column its queryset scopes by."""
    field = getattr(obj.__class__._default_manager.get_queryset(), "area_field", None)
    if not field:
        return ""
    if field.endswith("__code"):  # a foreign key to Area: its column holds the code
        return getattr(obj, field.removesuffix("__code") + "_id") or ""
    return getattr(obj, field) or ""
