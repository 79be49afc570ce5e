"""The one refusal hierarchy every action raises; the API (yiwang.api.exception_handler) and the pages
(yiwang.core.forms) each translate it once.

    ActionRefused                  400  refused, the message says why (in the user's language)
    ├── PermissionRefused          403  the user may not take this action on this object
    ├── StaleVersion               409  the object changed since the user read it (a stale `version`)
    ├── IllegalTransition          409  not possible in the object's present state
    ├── IdempotencyConflict        422  an Idempotency-Key seen before, sent with a different request
    └── InputError                 400  bad input, with a message per field (`message_dict`)

A refusal is a Django ValidationError, so a form's `clean()` may let one through and Django shows it.
Apps name their own refusals as thin subclasses (cases.actions.StaleCase, grids.actions.StaleProblem,
online.actions.RoomRefused…); `except ActionRefused` catches them all.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ActionRefused(ValidationError):
    """An action was refused; the message says why, in the user's language."""

    status_code = 400

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code=code or type(self).__name__, params=params)

    @property
    def detail(self) -> str:
        """Every message in one line: what a page or an API body shows."""
        return " ".join(str(message) for message in self.messages)


class PermissionRefused(ActionRefused):
    """The user may not take this action on this object (the object itself is in their scope)."""

    status_code = 403


class StaleVersion(ActionRefused):
    """Someone else changed the object since the user read it at `version`."""

    status_code = 409


class IllegalTransition(ActionRefused):
    """The object's state does not allow this action now."""

    status_code = 409


class IdempotencyConflict(ActionRefused):
    """The Idempotency-Key was used before for a different request: the first one's result stands and this
    one is not carried out (a retry must resend the same request; a new request needs a new key)."""

    status_code = 422


class InputError(ActionRefused):
    """Bad input, with a message per field (`message_dict`); `None` or "__all__" is the whole input."""

    status_code = 400

    def __init__(self, errors: dict[str | None, list[str] | str]):
        ValidationError.__init__(self, {
            (key or "__all__"): value if isinstance(value, list) else [value] for key, value in errors.items()
        })
