"""Serializer fields the API's input shares."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class TextField(serializers.CharField):
    """A CharField that takes only a JSON string: REST framework's would turn 12 or 1.5 into "12" and
    "1.5", so a client that sent a number where text belongs would never hear of its mistake."""

    default_error_messages = {"not_text": _("Enter text, not a number or another kind of value.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)
