"""Shared pieces of the REST API: pagination and error bodies. Kept free of view imports, because
REST framework imports this module while it is itself being set up.

Every refusal an action raises (yiwang.core.errors) becomes an HTTP answer here and nowhere else:

    InputError         400  {"field": ["message", …], …} (nested like REST framework's own errors)
    PermissionRefused  403  {"detail": "…"}
    StaleVersion       409  {"detail": "…"}
    IllegalTransition  409  {"detail": "…"}
    ActionRefused      400  {"detail": "…"}

An object outside the caller's scope is a 404 before any action runs (`get_visible_or_404`).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from yiwang.core.errors import ActionRefused, InputError


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, `page_size` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def nest_errors(errors: dict[str, list[str]]) -> dict:
    """{"applicants[0].phone": [...]} → {"applicants": {"0": {"phone": [...]}}}: the shape REST framework
    itself gives errors in nested lists, so clients read both kinds of error the same way."""
    nested: dict = {}
    for key, messages in errors.items():
        if "[" in key and "]" in key:
            field, rest = key.split("[", 1)
            index, _sep, sub = rest.partition("]")
            items = nested.setdefault(field, {})
            if not isinstance(items, dict):
                items = nested[field] = {"non_field_errors": items}
            items.setdefault(index, {})[sub.lstrip(".") or "non_field_errors"] = list(messages)
        else:
            nested[key] = list(messages)
    return nested


def refusal_response(error: ActionRefused) -> Response:
    """The answer to a refused action: a message per field for bad input, else one `detail`."""
    if isinstance(error, InputError):
        return Response(nest_errors(error.message_dict), status=error.status_code)
    return Response({"detail": error.detail}, status=error.status_code)


def exception_handler(exc, context):
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, ActionRefused):
        return refusal_response(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.NotFound):
        response.data = {"detail": str(_("Not found."))}
    return response
