"""Writing to the audit log. Every action in every app calls `record`."""

from django.db import models

from yiwang.audit.context import get_origin
from yiwang.audit.models import AuditEvent
from yiwang.core.scope import area_code_of


def record(actor, verb: str, obj: models.Model | None = None, *, area_code: str = "", **detail) -> AuditEvent:
    """Append one event: `actor` did `verb` to `obj`. The request's origin is taken from context."""
    origin = get_origin()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_name=(actor.get_username() if authenticated else detail.pop("actor_name", "")),
        verb=verb,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        area_code=area_code or (area_code_of(obj) if obj is not None else ""),
        ip=origin.ip,
        user_agent=origin.user_agent,
        channel=origin.channel,
        detail=detail,
    )
