"""Serializer fields the API's input shares."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# C0 controls but tab, line feed and carriage return, DEL and the C1 controls (NUL is refused by REST
# framework itself, as is a lone surrogate).
CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class TextField(serializers.CharField):
    """A CharField that takes only a JSON string: REST framework's would turn 12 or 1.5 into "12" and
    "1.5", so a client that sent a number where text belongs would never hear of its mistake. Control
    characters (other than tabs and line breaks) are refused too: no one types them, and they corrupt the
    exports and SMS the text ends up in."""

    default_error_messages = {"not_text": _("Enter text, not a number or another kind of value."),
                              "control": _("Remove the control characters from this text.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        if CONTROL.search(data):
            self.fail("control")
        return super().to_internal_value(data)


def make_model_serializers_strict() -> None:
    """Every ModelSerializer's text columns (models.CharField, models.TextField) become TextFields, so the
    serializers REST framework builds from models refuse numbers and control characters as the hand-written
    ones do (their max_length comes from the column, as before). Called once from core's ready()."""
    from django.db import models

    mapping = serializers.ModelSerializer.serializer_field_mapping
    mapping[models.CharField] = TextField
    mapping[models.TextField] = TextField
