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

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

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
    """Every operation documents the error answers of the module docstring, as JSON."""

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
