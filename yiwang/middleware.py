"""Project-wide request checks that belong to no single app."""

import time

from django.core.exceptions import BadRequest

SESSION_REFRESHED = "_yiwang_refreshed"  # when the session's idle clock was last restarted (epoch seconds)
SESSION_REFRESH_SECONDS = 60


class RejectNulMiddleware:
    """A NUL character (%00) in the path or the query string is refused with 400 before any view reads
    it: PostgreSQL text cannot hold one, so the first filter it reached would fail with a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


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
