"""The API schema's generator: drf-spectacular's, plus the error answers every endpoint can give.

REST framework and yiwang's middleware answer these on any operation, whatever its view declares, so the
schema says so (schemathesis checks every status code a response has against the schema):

    400  bad input or a bad query parameter (a message per field, or `detail`)
    401  no or a bad token                    403  not allowed
    404  not in your scope, or a page past the last
    405  a method the path does not take (only where a path has more than one)
    409  a stale `version` or a state that does not allow it (writes)
    413  a body over the limits (writes)       415  a content type the endpoint does not read (writes)
    422  an Idempotency-Key reused for a different request (writes)
    429  too many attempts (sign-in, public endpoints)
"""

from __future__ import annotations

import re

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework import serializers

# drf-spectacular's pattern for a decimal string, `^-?\d{0,10}(?:\.\d{0,2})?$`, also matches "" and "-",
# which no DecimalField reads: the schema's pattern asks for at least one digit.
_DECIMAL = re.compile(r"^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")

ERROR_BODY = {
    "type": "object",
    "description": "`detail` (one message), or a list of messages per field",
    "additionalProperties": True,
}
DESCRIPTIONS = {
    "400": "Bad input: a message per field, or `detail`.",
    "401": "No or a bad token.",
    "403": "You may not do this.",
    "404": "Not in your scope, or no such object or page.",
    "409": "A stale `version`, or not possible in the object's state.",
    "413": "The body is too large.",
    "415": "A content type this endpoint does not read.",
    "422": "The Idempotency-Key was used before for a different request.",
    "429": "Too many attempts: wait and try again.",
}
ALWAYS = ("400", "401", "403", "404", "429")
WRITES = ("409", "413", "415", "422")


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents the error answers of the module docstring, as JSON; a list of nested
    objects states its bounds (`min_length`/`max_length`, `allow_empty=False`) as minItems/maxItems; a
    decimal's pattern needs a digit."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        extra = getattr(serializer, "schema_extra", None)  # what a serializer's fields cannot say alone
        return {**schema, **extra} if extra else schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(schema, dict):
            return schema
        if is_list_serializer(field) and schema.get("type") == "array":
            low = max(getattr(field, "min_length", None) or 0, 0 if getattr(field, "allow_empty", True) else 1)
            if low:
                schema["minItems"] = low
            if getattr(field, "max_length", None):
                schema["maxItems"] = field.max_length
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            found = _DECIMAL.match(schema["pattern"])
            if found:
                whole, places = found.groups()
                sign = "-?" if field.min_value is None or field.min_value < 0 else ""
                schema["pattern"] = rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ALWAYS + (WRITES if self.method in ("POST", "PUT", "PATCH") else ())
        for code in codes:
            documented = responses.get(code)
            if documented is None:
                responses[code] = {"content": {"application/json": {"schema": ERROR_BODY}},
                                   "description": DESCRIPTIONS[code]}
            elif not documented.get("content"):
                documented["content"] = {"application/json": {"schema": ERROR_BODY}}
        return responses
