"""Everything that changes a warning after it is raised: the lifecycle steps (acknowledge, record a
measure, resolve, dismiss) and the escalation of unacknowledged red warnings. Pages and the API call
these; raising and joining live in engine.py.

Each step is one row of STEPS: the permission, the states it starts from, the state it ends in. A step
locks the warning at the version the caller saw, checks warning.handle on the warning's area, writes a
timeline event and the audit log, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.audit.actions import record
from yiwang.core import errors
from yiwang.core.scope import user_can
from yiwang.core.versions import lock_at_version
from yiwang.warnings import routing
from yiwang.warnings.engine import site_language
from yiwang.warnings.models import EventKind, Level, Status, Warning, WarningEvent


class StaleWarning(errors.StaleVersion):
    """Someone else changed the warning since the actor loaded it."""


@dataclass(frozen=True)
class Step:
    permission: str
    sources: tuple[str, ...]
    target: str
    label: object
    event: str


STEPS = {
    "acknowledge": Step("warning.handle", (Status.RAISED,), Status.ACKNOWLEDGED, gettext_lazy("Acknowledge"),
                        EventKind.ACKNOWLEDGED),
    "handle": Step("warning.handle", (Status.RAISED, Status.ACKNOWLEDGED, Status.HANDLING), Status.HANDLING,
                   gettext_lazy("Record a measure"), EventKind.MEASURE),
    "resolve": Step("warning.handle", (Status.ACKNOWLEDGED, Status.HANDLING), Status.RESOLVED,
                    gettext_lazy("Resolve"), EventKind.RESOLVED),
    "dismiss": Step("warning.handle", (Status.RAISED, Status.ACKNOWLEDGED, Status.HANDLING), Status.DISMISSED,
                    gettext_lazy("Dismiss"), EventKind.DISMISSED),
}


def get_available_steps(user, warning: Warning) -> list[str]:
    """The steps `user` may take on `warning` now, in STEPS order."""
    return [name for name, step in STEPS.items()
            if warning.status in step.sources and user_can(user, step.permission, warning.area_id)]


def _stale(current):
    return StaleWarning(_("Someone else changed this warning meanwhile; reload it and try again."))


def do_step(warning: Warning, step_name: str, *, by, version: int | None, note: str = "",
            false_alarm: bool = False) -> Warning:
    """Take one lifecycle step on `warning` as `by`, who saw it at `version`.

    acknowledge: who and when are recorded; handle: `note` is the measure taken (required), and a warning
    not yet acknowledged is acknowledged by it; resolve and dismiss: `note` is the reason (required), a
    dismissal may be marked a false alarm."""
    step = STEPS.get(step_name)
    if step is None:
        raise errors.InputError({"step": _("Unknown step.")})
    note = (note or "").strip()
    if step_name in ("handle", "resolve", "dismiss") and not note:
        field = "note"
        message = _("Say what was done.") if step_name == "handle" else _("Give the reason.")
        raise errors.InputError({field: message})
    with transaction.atomic():
        current = lock_at_version(warning, version, stale=_stale)
        if not user_can(by, step.permission, current.area_id):
            raise errors.PermissionRefused(_("You may not act on warnings in this area."))
        if current.status not in step.sources:
            raise errors.IllegalTransition(_("A warning that is “%(status)s” cannot take this step.")
                                           % {"status": current.get_status_display()})
        now = timezone.now()
        previous = current.status
        fields = ["status", "version", "updated_at"]
        if current.acknowledged_at is None and step_name in ("acknowledge", "handle"):
            current.acknowledged_at, current.acknowledged_by = now, by
            fields += ["acknowledged_at", "acknowledged_by"]
        if step.target in (Status.RESOLVED, Status.DISMISSED):
            current.closed_at, current.closed_by, current.close_reason = now, by, note
            current.false_alarm = bool(false_alarm) and step.target == Status.DISMISSED
            fields += ["closed_at", "closed_by", "close_reason", "false_alarm"]
        current.status = step.target
        current.version += 1
        current.updated_at = now
        current.save(update_fields=fields)
        WarningEvent.objects.create(warning=current, kind=step.event, at=now, actor=by, note=note,
                                    detail={"from": previous, "to": step.target, "false_alarm": current.false_alarm})
        record(by, f"warnings.{step_name}", current, area_code=current.area_id, from_status=previous,
               to_status=step.target, note=note)
    warning.__dict__.update(current.__dict__)
    return current


def do_escalate_overdue(now: dt.datetime | None = None, out=lambda line: None) -> list[Warning]:
    """Send every red warning nobody has acknowledged within its rule's `escalate_after_hours` (counted
    from when it was raised or last escalated) one tier up, and tell that tier. Run from cron
    (`yiwang escalate_warnings`); running it again before the next period changes nothing."""
    now = now or timezone.now()
    escalated = []
    candidates = Warning.objects.filter(status=Status.RAISED, level=Level.RED).exclude(tier="district")
    for warning in candidates.select_related("rule"):
        since = warning.escalated_at or warning.raised_at
        if now - since < dt.timedelta(hours=warning.rule.escalate_after_hours):
            continue
        with transaction.atomic():
            current = Warning.objects.select_for_update().get(pk=warning.pk)
            if current.status != Status.RAISED or (current.escalated_at or current.raised_at) != since:
                continue
            above = routing.tier_above(current.tier, current.area_id)
            if above is None:
                continue
            previous = current.tier
            current.tier, current.routed_area = above
            current.escalated_at, current.updated_at = now, now
            current.version += 1
            current.save(update_fields=["tier", "routed_area", "escalated_at", "updated_at", "version"])
            WarningEvent.objects.create(warning=current, kind=EventKind.ESCALATED, at=now,
                                        detail={"from": previous, "to": current.tier,
                                                "routed_area": current.routed_area})
            record(None, "warnings.escalated", current, area_code=current.area_id, from_tier=previous,
                   to_tier=current.tier)
            with site_language():
                routing.announce_warning(current, kind="warning.escalated")
        escalated.append(current)
    out(f"{len(escalated)} red warnings escalated")
    return escalated
