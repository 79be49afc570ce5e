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

import base64
import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from yiwang.core.errors import ActionRefused, InputError


def read_page_size(request, default: int, maximum: int) -> int:
    """`page_size` from the query: absent or empty is the default, above the maximum is the maximum, and
    anything but a whole number is a 400 (not silently the default)."""
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    try:
        return min(maximum, max(1, int(raw)))
    except ValueError:
        raise exceptions.ValidationError({"page_size": [_("A whole number is required.")]}) from None


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`, `page_size` up to 500 (a malformed one is a 400)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        return read_page_size(request, self.page_size, self.max_page_size)


class BoundedPagination(BasePagination):
    """A list that never counts a whole province: `{"count", "count_bound", "next", "previous", "results"}`.

    `count` is exact up to `count_bound` (10,000) rows and null past it ("10,000+"): it is counted with
    a LIMIT, so its cost stops growing there. Pages as `PageNumberPagination` (`page`, `page_size` up to
    500; `next` is known from one row fetched beyond the page), or by keyset: `cursor=` (empty) starts,
    and each `next` carries an opaque `cursor` that reads on from the last row without an OFFSET. The
    queryset must be ordered by `ordering` (a timestamp, then the id, both descending)."""

    page_size = 50
    max_page_size = 500
    count_bound = 10_000
    ordering = ("received_at", "id")  # both descending

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        params = request.query_params
        self.size = read_page_size(request, self.page_size, self.max_page_size)
        self.count = queryset.order_by()[:self.count_bound + 1].count()
        self.keyset = "cursor" in params
        if self.keyset:
            after = self._decode(params["cursor"]) if params["cursor"] else None
            if after is not None:
                stamp, pk = after
                field = self.ordering[0]
                queryset = queryset.filter(Q(**{f"{field}__lt": stamp}) | Q(**{field: stamp, "pk__lt": pk}))
            rows = list(queryset[:self.size + 1])
            self.page_number = None
        else:
            try:
                self.page_number = max(1, int(params.get("page") or 1))
            except ValueError:
                raise exceptions.NotFound(_("Invalid page.")) from None
            offset = (self.page_number - 1) * self.size
            rows = list(queryset[offset:offset + self.size + 1])
            if not rows and self.page_number > 1:
                raise exceptions.NotFound(_("Invalid page."))
        self.has_next = len(rows) > self.size
        self.rows = rows[:self.size]
        return self.rows

    def _decode(self, cursor: str):
        try:
            stamp, _sep, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
            return dt.datetime.fromisoformat(stamp), int(pk)
        except (ValueError, UnicodeDecodeError):
            raise exceptions.NotFound(_("Invalid cursor.")) from None

    def _encode(self, row) -> str:
        value = f"{getattr(row, self.ordering[0]).isoformat()}|{row.pk}"
        return base64.urlsafe_b64encode(value.encode()).decode()

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        if self.keyset:
            return replace_query_param(url, "cursor", self._encode(self.rows[-1]))
        return replace_query_param(url, "page", self.page_number + 1)

    def get_previous_link(self):
        if self.keyset or self.page_number == 1:
            return None  # a keyset reads forward only: start again from `cursor=`
        url = self.request.build_absolute_uri()
        if self.page_number == 2:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", self.page_number - 1)

    def get_paginated_response(self, data):
        return Response({
            "count": self.count if self.count <= self.count_bound else None,
            "count_bound": self.count_bound,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_bound", "results"],
            "properties": {
                "count": {"type": "integer", "nullable": True, "example": 123,
                          "description": "How many match, exact up to `count_bound`; null when more."},
                "count_bound": {"type": "integer", "example": self.count_bound,
                                "description": "Counts stop here: a null `count` reads as “more than this”."},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri",
                             "description": "Null when paging by `cursor` (keyset pages read forward)."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "schema": {"type": "integer"},
             "description": "A page number (ignored with `cursor`)."},
            {"name": "page_size", "required": False, "in": "query", "schema": {"type": "integer"},
             "description": f"Rows per page, at most {self.max_page_size}."},
            {"name": "cursor", "required": False, "in": "query", "schema": {"type": "string"},
             "description": "Keyset pages: empty to start, then the value in `next`. No OFFSET, so a "
                            "deep page costs what the first does."},
        ]


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
