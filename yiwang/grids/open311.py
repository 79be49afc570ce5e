"""Open311 GeoReport v2 at /open311/v2/: the problem categories as services, problems as requests.

Follows the GeoReport v2 specification (wiki.open311.org/GeoReport_v2): `.json` or `.xml` on every
path (JSON when none is given), the spec's field names, w3c dates (2026-11-27T09:30:00+08:00), errors
as a list of {code, description} with 403 for a missing or bad api_key, 400 for other bad input and
404 for unknown ids. Reading needs no key; posting does. There is one jurisdiction (the district),
so jurisdiction_id is accepted and not checked. Open311 `status` is open or closed; the workflow
state and its latest note go in `status_notes`. Reporters' names and contacts are never returned, and
only requests that came in through Open311 are listed: problems found on visits stay internal.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from yiwang.grids import actions
from yiwang.grids.models import FINAL_STATES, Category, Channel, Open311Key, Problem, State

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
SERVICE_KEYWORDS = {
    "environment": "环境卫生,垃圾,污水",
    "dispute": "矛盾纠纷,邻里",
    "safety": "安全隐患,消防,危房",
    "livelihood": "民生需求,帮扶",
    "other": "其他",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# ---------------------------------------------------------------------------------------------- output


def _w3c(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    end_of_day = datetime.datetime.combine(value, datetime.time(23, 59, 59))
    return timezone.make_aware(end_of_day).isoformat(timespec="seconds")


LIST_ITEMS = {"attributes": "attribute", "endpoints": "endpoint", "values": "value"}


def _fill(element, row: dict) -> None:
    for key, value in row.items():
        child = ElementTree.SubElement(element, key)
        if isinstance(value, list):
            for entry in value:
                _fill(ElementTree.SubElement(child, LIST_ITEMS.get(key, "item")), entry)
        else:
            child.text = _text(value)


def _xml(root: str, item: str, rows: list[dict], single: bool = False) -> bytes:
    """The spec's XML: a root holding one element per row, or (`single`) the row as the root."""
    if single:
        top = ElementTree.Element(item)
        _fill(top, rows[0])
    else:
        top = ElementTree.Element(root)
        for row in rows:
            _fill(ElementTree.SubElement(top, item), row)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(top, encoding="unicode")).encode()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _respond(fmt, rows, root: str, item: str, status: int = 200, single: bool = False) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(_xml(root, item, rows, single), status=status, content_type="text/xml; charset=utf-8")
    body = rows[0] if single else rows
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def _error(fmt, error: Open311Error) -> HttpResponse:
    return _respond(fmt, [{"code": error.status, "description": error.description}], "errors", "error",
                    status=error.status)


def open311_view(view):
    """Turn Open311Error into the spec's error array, in the requested format."""

    def wrapped(request, *args, fmt=None, **kwargs):
        fmt = fmt or "json"
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return _error(fmt, error)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ---------------------------------------------------------------------------------------------- services


def _service(code: str, label) -> dict:
    return {
        "service_code": code,
        "service_name": str(label),
        "description": str(label),
        "metadata": False,
        "type": "realtime",
        "keywords": SERVICE_KEYWORDS.get(code, ""),
        "group": _("Grid problems"),
    }


@open311_view
def services(request, fmt):
    """GET services: the problem categories."""
    return _respond(fmt, [_service(code, label) for code, label in Category.choices], "services", "service")


@open311_view
def service_definition(request, code, fmt):
    """GET services/{code}: no extra attributes are asked for any category."""
    if code not in Category.values:
        raise Open311Error(404, _("No service with code %(code)s.") % {"code": code})
    rows = [{"service_code": code, "attributes": []}]
    return _respond(fmt, rows, "service_definitions", "service_definition", single=True)


@open311_view
def discovery(request, fmt):
    """GET discovery: where this endpoint lives and what it speaks."""
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": "2026-11-28T00:00:00+08:00",
        "contact": "普陀区社会治理中心 0580-12345",
        "key_service": _("Ask the district social governance centre for an api_key."),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-28T00:00:00+08:00", "type": "production",
                       "formats": "application/json,text/xml"}],
    }
    return _respond(fmt, [row], "discovery", "discovery", single=True)


# ---------------------------------------------------------------------------------------------- requests


def _status_notes(problem: Problem) -> str:
    notes = f"{problem.state}: {problem.get_state_display()}"
    if problem.state == State.CLOSED and problem.outcome:
        notes += f" — {problem.outcome}"
    elif problem.state == State.REFERRED and problem.case_id:
        notes += f" — {problem.case.number}"
    elif problem.state == State.PARKED and problem.parked_reason:
        notes += f" — {problem.parked_reason}"
    elif problem.state == State.INVALID:
        last = problem.events.filter(to_state=State.INVALID).last()
        if last and last.note:
            notes += f" — {last.note}"
    return notes


def _agency(problem: Problem) -> str:
    if problem.assigned_organisation_id:
        return problem.assigned_organisation.name
    if problem.assigned_team_id:
        return problem.assigned_team.name
    return problem.area.name


def _request_row(problem: Problem) -> dict:
    return {
        "service_request_id": str(problem.pk),
        "status": "closed" if problem.state in FINAL_STATES else "open",
        "status_notes": _status_notes(problem),
        "service_name": problem.get_category_display(),
        "service_code": problem.category,
        "description": problem.description,
        "agency_responsible": _agency(problem),
        "service_notice": "",
        "requested_datetime": _w3c(problem.reported_at),
        "updated_datetime": _w3c(problem.updated_at),
        "expected_datetime": _w3c(problem.handle_due or problem.accept_due) if problem.is_open else "",
        "address": problem.location,
        "address_id": problem.grid.code if problem.grid_id else "",
        "zipcode": "",
        "lat": float(problem.latitude) if problem.latitude is not None else "",
        "long": float(problem.longitude) if problem.longitude is not None else "",
        "media_url": "",
    }


def _is_number(value: str) -> bool:
    """ASCII digits only: `str.isdigit()` also passes "²" and other digits `int()` refuses."""
    return value.isascii() and value.isdigit()


def _parse_date(name: str, value: str):
    try:
        parsed = parse_datetime(value.replace(" ", "+")) if value else None  # "+" arrives as a space
    except ValueError:  # well formed but not a date, e.g. month 13
        parsed = None
    if parsed is not None and not 1900 <= parsed.year <= 2999:  # the calendar's edges overflow in UTC
        parsed = None
    if value and parsed is None:
        raise Open311Error(400, _("%(name)s must be a w3c date and time, e.g. 2026-11-27T09:30:00+08:00.")
                           % {"name": name})
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _problems():
    # Only what came in through Open311 is public here: problems found on visits are internal records
    # (a dispute names neighbours), read by staff through the scoped pages and API.
    return Problem.objects.filter(channel=Channel.OPEN311).select_related(
        "grid", "area", "assigned_organisation", "assigned_team", "case"
    )


def _list(request, fmt):
    params = request.GET
    problems = _problems().order_by("-reported_at", "-id")
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        # The spec: with service_request_id given, every other filter is ignored.
        if not all(_is_number(i) for i in ids):
            raise Open311Error(400, _("service_request_id must be numbers separated by commas."))
        ids = [i for i in ids if int(i) < 2**63]  # a larger number names no request (and overflows the column)
        return _respond(fmt, [_request_row(p) for p in problems.filter(pk__in=ids)], "service_requests", "request")
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        unknown = set(codes) - set(Category.values)
        if unknown:
            raise Open311Error(400, _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
        problems = problems.filter(category__in=codes)
    statuses = [s.strip() for s in params.get("status", "").split(",") if s.strip()]
    if statuses:
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, _("status must be open or closed."))
        if statuses == ["open"]:
            problems = problems.exclude(state__in=FINAL_STATES)
        elif statuses == ["closed"]:
            problems = problems.filter(state__in=FINAL_STATES)
    start = _parse_date("start_date", params.get("start_date", ""))
    end = _parse_date("end_date", params.get("end_date", ""))
    if start and end and start > end:
        raise Open311Error(400, _("start_date must not be after end_date."))
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start:
        problems = problems.filter(reported_at__gte=start)
    if end:
        problems = problems.filter(reported_at__lte=end)
    return _respond(fmt, [_request_row(p) for p in problems[:MAX_RESULTS]], "service_requests", "request")


def _coordinate(params, name: str, low: int, high: int):
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():  # NaN and Infinity parse, and NaN cannot be compared
        raise Open311Error(400, _("%(name)s must be a number.") % {"name": name})
    if not low <= number <= high:
        raise Open311Error(400, _("%(name)s is out of range.") % {"name": name})
    return number.quantize(Decimal("0.000001"))


def _create(request, fmt):
    params = request.POST
    key = Open311Key.objects.filter(key=params.get("api_key", ""), active=True).first()
    if not params.get("api_key") or key is None:
        raise Open311Error(403, _("A valid api_key is required to post a request."))
    code = params.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    if code not in Category.values:
        raise Open311Error(400, _("No service with code %(code)s.") % {"code": code})
    lat, lon = _coordinate(params, "lat", -90, 90), _coordinate(params, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise Open311Error(400, _("lat and long must be given together."))
    address, address_id = params.get("address_string", "").strip(), params.get("address_id", "").strip()
    if lat is None and not address and not address_id:
        raise Open311Error(400, _("A location is required: lat and long, address_string or address_id."))
    description = params.get("description", "").strip()
    if not description:
        raise Open311Error(400, _("description is required."))
    if len(description) > 4000 or len(address) > 200:
        raise Open311Error(400, _("description (4000) or address_string (200) is too long."))
    name = " ".join(p for p in (params.get("last_name", ""), params.get("first_name", "")) if p).strip()
    contact = params.get("phone", "").strip() or params.get("email", "").strip()
    try:
        problem = actions.do_receive_request(
            key, category=code, description=description, address=address, address_id=address_id,
            latitude=lat, longitude=lon, reporter_name=name[:100], reporter_contact=contact[:100],
        )
    except ValidationError as error:
        raise Open311Error(400, " ".join(error.messages)) from None
    notice = _("Received; it will be accepted within %(n)s working days.") % {"n": actions.ACCEPT_WORKDAYS}
    row = {"service_request_id": str(problem.pk), "token": problem.token, "service_notice": notice,
           "account_id": ""}
    return _respond(fmt, [row], "service_requests", "request")


@csrf_exempt
@open311_view
def requests(request, fmt):
    """GET requests: list and filter. POST requests: report a problem (needs api_key)."""
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Open311Error(400, _("Use GET or POST."))
    return _list(request, fmt)


@open311_view
def request_detail(request, request_id, fmt):
    """GET requests/{id}: one request, as a list of one (the spec's shape)."""
    problem = _problems().filter(pk=int(request_id)).first() if _is_number(request_id) and \
        int(request_id) < 2**63 else None
    if problem is None:
        raise Open311Error(404, _("No request with id %(id)s.") % {"id": request_id})
    return _respond(fmt, [_request_row(problem)], "service_requests", "request")


@open311_view
def token(request, token, fmt):
    """GET tokens/{token}: the request id a token stands for."""
    problem = _problems().filter(token=token).first()
    if problem is None:
        raise Open311Error(404, _("No request with token %(token)s.") % {"token": token})
    return _respond(fmt, [{"service_request_id": str(problem.pk), "token": problem.token}],
                    "service_requests", "request")
