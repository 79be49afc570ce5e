"""The permission codes the software checks, each declared by the app that checks it.

An app declares its codes once, in its `AppConfig.ready()`:

    register_permissions(self.label, PERMISSIONS)   # {"case.view": _("See cases"), …}

Roles are data (a role is a list of codes, edited in the admin), so a code the software does not know
would be a silent refusal: whoever holds the role simply never gets the right. The registry is what a
role is checked against, on save and at start-up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ImproperlyConfigured

# area.action: the app's noun, a dot, the verb (case.intake, grid.dispatch, pii.view).
CODE_PATTERN = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")


class PermissionRegistry:
    """Codes → (declaring app, label). One code belongs to one app: a second declaration is an error."""

    def __init__(self):
        self._codes: dict[str, tuple[str, object]] = {}

    def register(self, app_label: str, permissions: Mapping[str, object]) -> None:
        """Declare `app_label`'s codes with their labels. All or nothing: on an error nothing is added."""
        for code in permissions:
            if not CODE_PATTERN.match(code):
                raise ImproperlyConfigured(f"{app_label}: {code!r} is not a permission code (noun.verb).")
            owner = self._codes.get(code, (app_label,))[0]
            if owner != app_label:
                raise ImproperlyConfigured(f"Permission {code!r} is declared by both {owner!r} and {app_label!r}.")
        for code, label in permissions.items():
            self._codes[code] = (app_label, label)

    def codes(self) -> frozenset[str]:
        return frozenset(self._codes)

    def labels(self) -> dict[str, object]:
        """Every code with its label, sorted by code."""
        return {code: self._codes[code][1] for code in sorted(self._codes)}

    def declared_by(self, code: str) -> str | None:
        """The label of the app that declares `code`, or None."""
        entry = self._codes.get(code)
        return entry[0] if entry else None

    def unknown(self, codes: Iterable[str]) -> list[str]:
        """The codes among `codes` that no app declares, in their order, each once."""
        return [code for code in dict.fromkeys(codes) if code not in self._codes]


registry = PermissionRegistry()


def register_permissions(app_label: str, permissions: Mapping[str, object]) -> None:
    """Declare the codes app `app_label` checks (call it from the app's `ready()`)."""
    registry.register(app_label, permissions)


def get_permission_codes() -> frozenset[str]:
    """Every code some installed app declares."""
    return registry.codes()


def get_permissions() -> dict[str, object]:
    """Every declared code with its (translatable) label, sorted by code."""
    return registry.labels()


def get_unknown_codes(codes: Iterable[str]) -> list[str]:
    """The codes among `codes` that no installed app declares."""
    return registry.unknown(codes)
