"""Where the current request came from, so that actions need not carry the request to be audited."""

from contextvars import ContextVar
from dataclasses import dataclass

from yiwang.core.network import get_client_ip


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    channel: str = "system"


_origin: ContextVar[Origin] = ContextVar("yiwang_audit_origin", default=Origin())  # noqa: B039 (frozen)


def get_origin() -> Origin:
    return _origin.get()


def set_origin(origin: Origin):
    return _origin.set(origin)


def reset_origin(token) -> None:
    _origin.reset(token)


def origin_from_request(request, channel: str = "web") -> Origin:
    return Origin(
        ip=get_client_ip(request),  # behind a trusted proxy, the client's address (core.network)
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        channel="api" if request.path.startswith("/api/") else channel,
    )
