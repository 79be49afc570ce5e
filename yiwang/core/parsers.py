"""The API's JSON parser: REST framework's, with the limits every endpoint needs.

A body nested deeper than MAX_DEPTH (e.g. `[` × 50,000) is refused with 400 instead of exhausting the
decoder's recursion, and so is a NUL character in any string or key (PostgreSQL text cannot hold one, so
it would otherwise fail as a server error wherever it is first saved or filtered on). `NaN` and
`Infinity` are refused as REST framework's strict mode already does. The body's size is bounded before
any parser reads it (yiwang.middleware.RequestLimitsMiddleware).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def check_json_value(value) -> None:
    """Raise ParseError when `value` (decoded JSON) nests deeper than MAX_DEPTH or holds a NUL anywhere.
    Walks without recursion, so a hostile value cannot exhaust the stack here either."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ParseError(_("The request contains a NUL character, which no field accepts."))
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise ParseError(_("The JSON body is nested too deeply (at most %(n)s levels).") % {"n": MAX_DEPTH})
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        else:
            pending.extend((child, depth + 1) for child in item)


class SafeJSONParser(JSONParser):
    """JSONParser with a depth limit and no NUL characters (see the module's docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply (at most %(n)s levels).") % {"n": MAX_DEPTH}) \
                from None
        check_json_value(data)
        return data
