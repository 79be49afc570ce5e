"""Mediation sessions that meet the sea's realities: by video for a party at sea or far away, or held on
board a vessel (海上共享法庭). Scheduling goes through the online app's own action (the parties see the
session on their page and are told by SMS) and the record through the cases app's (调解笔录, the case's
timeline); the maritime row keeps the mode, the vessel, where it lies and who joins from sea."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases import actions as case_actions
from yiwang.core import audit
from yiwang.core.errors import IllegalTransition, InputError, PermissionRefused
from yiwang.core.scope import user_can_reach
from yiwang.maritime.models import MaritimeRecord, SeaArea, SeaSession, SessionMode, Vessel


def _find_vessel(value, by) -> Vessel | None:
    """A vessel of the registry the user sees, given as itself, its id, its name or its MMSI."""
    visible = Vessel.objects.visible_to(by, "sea.view")
    if isinstance(value, Vessel):
        return visible.filter(pk=value.pk).first()
    text = str(value or "").strip()
    if not text:
        return None
    q = Q(name=text) | Q(mmsi=text)
    if text.isdigit() and len(text) < 9:  # an id (an MMSI has nine digits)
        q |= Q(pk=int(text))
    return visible.filter(q).first()


def _place(mode: str, *, vessel, sea_area, link: str, place: str) -> str:
    """What the parties read (on their page and in the SMS) for where the session meets."""
    if mode == SessionMode.ON_BOARD:
        where = _("on board %(vessel)s") % {"vessel": vessel.name}
        if sea_area is not None:
            where += f" · {sea_area.name}"
    else:
        where = _("by video: %(link)s") % {"link": link}
    return f"{place} · {where}" if place else where


@transaction.atomic
def do_schedule_sea_session(record_: MaritimeRecord, *, by, mode: str, starts_at, vessel=None, sea_area=None,
                            at_sea: str = "", link: str = "", place: str = "", note: str = "",
                            version=None) -> SeaSession:
    """Schedule a session of a dispute at sea: remote (by video: the link, and who joins from sea or
    afar) or on board (the vessel from the registry, and where it lies). The online app's
    do_schedule_session checks that `by` mediates the case and that the time lies ahead, keeps the
    session and tells the parties; `version` is the case's, as read."""
    from yiwang.online import actions as online_actions

    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    case = record_.case
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("This case does not exist."))
    errors: dict[str, list[str]] = {}
    if mode not in SessionMode.values:
        errors["mode"] = [_("Choose whether the session meets by video or on board.")]
    at_sea, link, place, note = (str(v or "").strip() for v in (at_sea, link, place, note))
    found = _find_vessel(vessel, by) if vessel not in (None, "") else None
    if vessel not in (None, "") and found is None:
        errors["vessel"] = [_("%(vessel)s is not in the vessel registry.") % {"vessel": vessel}]
    if sea_area not in (None, "") and not isinstance(sea_area, SeaArea):
        sea_area = SeaArea.objects.filter(code=str(sea_area)).first()
        if sea_area is None:
            errors["sea_area"] = [_("Choose a known sea area.")]
    sea_area = sea_area or None
    if mode == SessionMode.ON_BOARD and found is None and "vessel" not in errors:
        errors["vessel"] = [_("Name the vessel the session is held on.")]
    if mode == SessionMode.REMOTE:
        if not link:
            errors["link"] = [_("Give the video link or the satellite telephone number.")]
        if not at_sea:
            errors["at_sea"] = [_("Say who joins from sea or afar, and from where.")]
    for field, value in (("at_sea", at_sea), ("link", link), ("place", place)):
        if len(value) > 120:
            errors[field] = [_("At most %(n)s characters.") % {"n": 120}]
    if errors:
        raise InputError(errors)
    scheduled = online_actions.do_schedule_session(
        case, by=by, starts_at=starts_at, online=mode == SessionMode.REMOTE, note=note, version=version,
        place=_place(mode, vessel=found, sea_area=sea_area, link=link, place=place))
    session = SeaSession.objects.create(record=record_, area_id=record_.area_id, mode=mode, scheduled=scheduled,
                                        vessel=found, sea_area=sea_area, at_sea=at_sea, link=link, created_by=by)
    audit.record(by, "maritime.sea_session_scheduled", session, case=case.number, mode=mode,
           vessel=found.name if found else "", starts_at=scheduled.starts_at.isoformat())
    return session


@transaction.atomic
def do_record_sea_session(session: SeaSession, *, by, record: str, participants: str = "", held_at=None,
                          version=None) -> SeaSession:
    """Record a session at sea once held: the cases app's do_record_session writes the record (调解笔录)
    on the case, as held where it was scheduled (online when remote); it is linked here. Refused for a
    session called off, not yet begun, or already recorded. `version` is the case's, as read."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    locked = SeaSession.objects.select_for_update().select_related("scheduled", "record__case").get(pk=session.pk)
    case = locked.record.case
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("This case does not exist."))
    if locked.held_id is not None:
        raise IllegalTransition(_("This session is already recorded."))
    if locked.scheduled.cancelled_at is not None:
        raise IllegalTransition(_("This session was called off."))
    if locked.scheduled.starts_at > timezone.now():
        raise IllegalTransition(_("A session is recorded once it has begun."))
    held = case_actions.do_record_session(
        case, by=by, record=record, held_at=held_at or locked.scheduled.starts_at,
        place=locked.scheduled.place, online=locked.mode == SessionMode.REMOTE,
        participants=(participants or locked.at_sea or "").strip(), version=version)
    locked.held = held
    locked.save(update_fields=["held"])
    audit.record(by, "maritime.sea_session_recorded", locked, case=case.number, mode=locked.mode, session=held.pk)
    session.held = held
    return locked
