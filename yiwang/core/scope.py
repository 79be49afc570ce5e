"""Scope lives here: which area subtrees a user may see or act in, and the queryset that applies it.

A user holds grants (role → area). A role is a set of action codes. A user may take an action on an
object when one of their grants carries that action on an area whose code prefixes the object's area
code. Every read of a scoped model goes through `visible_to`; out of scope looks exactly like missing.

A grant may also be limited to one organisation (a bank, a court): `Grant.organisation`. Such a grant
reaches only the objects its queryset counts as that organisation's own (`organisation_q`; cases say
which: submitted by it, it is a party, referred to it, confirmation applied for at it). A model whose
queryset does not say (`organisation_q` returns None: master data such as windows and organisations) is
reached by the area alone, as with any grant.
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
        cached = list(_model("Grant").objects.filter(user_id=user.pk).select_related("role", "area", "centre"))
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


def get_scopes(user, action: str = VIEW) -> list[tuple[str, int | None]] | None:
    """(area code, organisation id or None) for each grant carrying `action`; None means everywhere (a
    superuser). An organisation id limits that grant to the organisation's own objects."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    return sorted({(g.area_id, g.organisation_id) for g in get_grants(user) if action in g.role.actions},
                  key=lambda scope: (scope[0], scope[1] or 0))


def user_can_reach(user, action: str, obj) -> bool:
    """Whether `user` may take `action` on this one scoped object: as `visible_to(user, action)` would
    say, read from the grants (one query only for an organisation-limited grant)."""
    scopes = get_scopes(user, action)
    if scopes is None:
        return True
    area_code = area_code_of(obj)
    covering = [organisation for code, organisation in scopes if area_code.startswith(code)]
    if not covering:
        return False
    queryset = obj.__class__._default_manager.all()
    if None in covering:
        return True
    for organisation in covering:
        limited = queryset.organisation_q(organisation)
        if limited is None or queryset.filter(limited, pk=obj.pk).exists():
            return True
    return False


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

    def organisation_q(self, organisation_id: int) -> Q | None:
        """The rows that are this organisation's own, for grants limited to it; None when the model has
        no notion of it (then the area alone decides)."""
        return None

    def visible_to(self, user, action: str = VIEW):
        scopes = get_scopes(user, action)
        if scopes is None:
            return self.all()
        if not scopes:
            return self.none()
        whole, limited = set(), []
        for code, organisation in scopes:
            term = self.organisation_q(organisation) if organisation else None
            if term is None:
                whole.add(code)
            else:
                limited.append((code, term))
        q = Q(pk__in=[])
        for code in _reduce(whole):
            q |= self.area_prefix_q(code)
        for code, term in limited:
            if not any(code.startswith(shorter) for shorter in whole):
                q |= self.area_prefix_q(code) & term
        return self.filter(q)

    def area_prefix_q(self, code: str) -> Q:
        """The rows under division `code`. A model whose indexes hold a level's code prefix (cases' open
        queues) says here how to match it, so that the index serves the scope."""
        return Q(**{f"{self.area_field}__startswith": code})

    def in_area(self, code: str):
        """Everything in the subtree under division `code`."""
        return self.filter(self.area_prefix_q(code))

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
