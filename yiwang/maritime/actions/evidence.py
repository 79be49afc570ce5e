"""Evidence from positions: where a vessel involved in a case was at a given time (its AIS track, Beidou
terminal, radar, logbook or a party's statement), recorded by the coordinating centre or by an agency's
officer on its task, and located on the fishing zones."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.audit import record
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.maritime import sea
from yiwang.maritime.actions.agencies import _check_task_hand
from yiwang.maritime.actions.records import _check_coordinate
from yiwang.maritime.models import AgencyTask, MaritimeRecord, PositionFix, PositionSource, Vessel


@transaction.atomic
def do_record_position(record_: MaritimeRecord, *, by, vessel, at, latitude, longitude, source: str,
                       note: str = "", task: AgencyTask | None = None) -> PositionFix:
    """Record where one of the case's vessels was at `at`. With `task`, an agency's officer records it as
    part of that task (its own agency's, on this case); without, the coordinating centre or the case's
    mediator does. A position off the configured zones is kept, unlocated."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    if task is not None:
        if task.record_id != record_.pk:
            raise PermissionRefused(_("This task does not exist."))
        _check_task_hand(task, by)
    else:
        _check_coordinate(record_.case, by, "case.mediate")
    errors: dict[str, list[str]] = {}
    involved = record_.vessels.all()
    if not isinstance(vessel, Vessel):
        text = str(vessel or "").strip()
        vessel = involved.filter(name=text).first() or involved.filter(mmsi=text).first() if text else None
    if vessel is None or not involved.filter(pk=vessel.pk).exists():
        errors["vessel"] = [_("Choose one of the vessels involved in the case.")]
    if source not in PositionSource.values:
        errors["source"] = [_("Say where the position comes from.")]
    if not isinstance(at, dt.datetime) or timezone.is_naive(at):
        errors["at"] = [_("Enter a valid date and time.")]
    elif at > timezone.now() + dt.timedelta(minutes=5):
        errors["at"] = [_("A position cannot lie in the future.")]
    location = None
    try:
        latitude, longitude = sea.check_position(latitude, longitude)
        location = sea.locate(latitude, longitude)
    except InputError as error:
        errors["latitude"] = [" ".join(m for ms in error.message_dict.values() for m in ms)]
    if errors:
        raise InputError(errors)
    fix = PositionFix.objects.create(
        record=record_, area_id=record_.area_id, vessel=vessel, at=at, latitude=latitude, longitude=longitude,
        sea_area=location.sea_area if location else None, zone=location.zone if location else None,
        source=source, note=(note or "").strip()[:200], task=task, recorded_by=by)
    record(by, "maritime.position_recorded", fix, case=record_.case.number, vessel=vessel.name, source=source,
           zone=fix.zone_id or "")
    return fix
