"""Project-wide request checks that belong to no single app."""

from django.core.exceptions import BadRequest


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
