"""Project-wide request checks that belong to no single app."""

import json
import time

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

SESSION_REFRESHED = "_yiwang_refreshed"  # when the session's idle clock was last restarted (epoch seconds)
SESSION_REFRESH_SECONDS = 60
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _machine_error(request, status: int, message: str) -> HttpResponse | None:
    """The refusal in the shape a machine client of that path reads (the API's `detail`, Open311's list of
    {code, description}), or None for a page, which gets Django's own error page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    if request.path.startswith("/open311/"):
        body = json.dumps([{"code": status, "description": message}], ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    return None


class RejectNulMiddleware:
    """A NUL character (%00) in the path, the query string or any form field (urlencoded or multipart) is
    refused with 400 before any view reads it: PostgreSQL text cannot hold one, so the first filter or save
    it reached would fail with a server error. JSON bodies are checked by the API's parser
    (yiwang.core.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.path, request.GET) or (
            request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES
            and _has_nul("", request.POST)
        ):
            message = _("The request contains a NUL character, which no field accepts.")
            response = _machine_error(request, 400, message)
            if response is None:
                raise BadRequest("NUL character in the request")
            return response
        return self.get_response(request)


def _has_nul(path: str, data) -> bool:
    return "\x00" in path or any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class BodySizeMiddleware:
    """A body larger than a machine path (/api/, /open311/) accepts answers a JSON 413 before anything reads
    it: JSON over API_MAX_BODY_BYTES (REST framework's parsers read the stream and would not stop), a form
    over Django's DATA_UPLOAD_MAX_MEMORY_SIZE, a multipart upload over the largest file any endpoint takes
    plus room for its fields (UPLOAD_MAX_BODY_BYTES). Django's own RequestDataTooBig, raised where a view
    first reads request.POST, is the same JSON 413 there. Pages keep Django's 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.content_type == "multipart/form-data":
            limit = settings.UPLOAD_MAX_BODY_BYTES
        elif request.content_type == "application/x-www-form-urlencoded":
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        else:
            limit = settings.API_MAX_BODY_BYTES
        if length > limit:
            response = _too_big(request, limit)
            if response is not None:
                return response
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return _too_big(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return None


def _too_big(request, limit: int) -> HttpResponse | None:
    message = _("The request body is too large (at most %(mb)s MB).") % {"mb": round(limit / 1024 / 1024, 1)}
    return _machine_error(request, 413, message)


def not_found(request, exception=None):
    """handler404: an unknown path under /api/ or /open311/ is a JSON 404 like the API's own; pages keep
    Django's page."""
    from django.views.defaults import page_not_found

    return _machine_error(request, 404, _("Not found.")) or page_not_found(request, exception)


class SessionRefreshMiddleware:
    """Idle expiry without a write per page view: a signed-in session is saved again (which restarts its
    SESSION_COOKIE_AGE) at most once a minute, instead of on every request (SESSION_SAVE_EVERY_REQUEST).
    A session therefore ends between SESSION_IDLE_MINUTES and one minute more after its last request.
    Sits after SessionMiddleware, so that its change is saved on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response  # no session read (static files, the API's tokens) or an empty one
        now = int(time.time())
        if session.modified or now - session.get(SESSION_REFRESHED, 0) >= SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED] = now
        return response
