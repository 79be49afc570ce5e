"""Carries the languages ticked in triage's snippet on the staff intake form to the registration.

The intake page belongs to the cases app, which knows nothing of triage: its view registers the case with
the fields it knows and ignores the rest of the POST. This middleware reads triage's own field
(`triage-languages`) from a POST to that page and keeps it for the request; the case_changed handler
(`extensions.record_intake_languages`) records it for the case inside the registration's transaction,
through `actions.do_record_case_languages`, as the clerk."""

from contextvars import ContextVar
from dataclasses import dataclass

INTAKE_VIEWS = ("cases:intake",)
FIELD = "triage-languages"


@dataclass(frozen=True)
class Pending:
    user: object
    codes: tuple[str, ...]


_pending: ContextVar[Pending | None] = ContextVar("yiwang_triage_intake_languages", default=None)


def get_pending() -> Pending | None:
    return _pending.get()


class IntakeLanguagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._triage_token = None
        try:
            return self.get_response(request)
        finally:
            if request._triage_token is not None:
                _pending.reset(request._triage_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if request.method == "POST" and match is not None and match.view_name in INTAKE_VIEWS:
            codes = tuple(dict.fromkeys(c for c in request.POST.getlist(FIELD) if c))[:20]
            if codes:
                request._triage_token = _pending.set(Pending(request.user, codes))
        return None
