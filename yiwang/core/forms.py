"""A refused action shown on a page, in one place: on the form (a message per field) or as a message
at the top of the page. Views call the action and hand any ActionRefused here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS

from yiwang.core.errors import ActionRefused


def add_refusal_to_form(form, error: ActionRefused, fields: dict[str, str] | None = None) -> dict[str, list]:
    """Put `error`'s messages on `form`: each field's under that field (`fields` maps an action's field
    name to the form's where they differ), the rest above the form. Returns the messages for fields the
    form does not have and `fields` does not map (already shown above the form) for callers with
    formsets to place them more precisely."""
    fields = fields or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, list(error.messages))
        return {}
    elsewhere: dict[str, list] = {}
    for key, field_messages in error.message_dict.items():
        name = fields.get(key, key)
        if name in form.fields:
            form.add_error(name, field_messages)
        else:
            form.add_error(None, field_messages)
            if key != NON_FIELD_ERRORS:
                elsewhere[key] = field_messages
    return elsewhere


def add_refusal_to_messages(request, error: ActionRefused) -> None:
    """Say why the action was refused at the top of the next page (for buttons without a form)."""
    messages.error(request, error.detail)
