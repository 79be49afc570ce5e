"""The mediation room: messages between the parties and the case's mediators, evidence files, and the
sessions the mediator schedules (the parties are told by SMS through online.notify).

    do_post_message(case, *, text, party=None, by=None, private=False) → RoomMessage
    do_upload_evidence(case, *, upload, party=None, by=None, note="") → Evidence   PDF/PNG/JPEG by content,
        size-limited (core.uploads)
    do_schedule_session(case, *, by, starts_at, place, online=True, note="", version=None) → ScheduledSession
    do_cancel_session(session, *, by, reason, version=None) → ScheduledSession
    can_enter_room(case, user)   the case's mediators and centre staff only
    get_room_messages(case, *, party=None), get_upcoming_sessions(case)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cases.models import Party
from yiwang.core import uploads
from yiwang.core.notices import Notice, announce
from yiwang.online.actions.base import RoomRefused, check_case_version, check_mediator, is_mediator
from yiwang.online.models import Evidence, RoomMessage, ScheduledSession
from yiwang.online.notify import notify_parties

MAX_MESSAGE_CHARS = 2000
# What evidence may be: recognised by the file's first bytes, not by its name or the browser's claim.
EVIDENCE_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)


def _check_room_open(case) -> None:
    if not case.is_open:
        raise RoomRefused(_("This case is closed: its mediation room takes no more messages or files."))


def _check_may_write(case, *, party, by) -> None:
    """Who writes in the room: a party (proven through their link by the view) or the case's mediator."""
    _check_room_open(case)
    if party is None:
        check_mediator(by, case, RoomRefused)


def do_post_message(case, *, text: str, party: Party | None = None, by=None, private: bool = False) -> RoomMessage:
    """A party (proven through their link) or the case's mediator writes in the mediation room. A party
    may write to the mediator alone; staff write to everyone."""
    text = (text or "").strip()
    if not text:
        raise RoomRefused(_("Write a message."))
    if len(text) > MAX_MESSAGE_CHARS:
        raise RoomRefused(_("A message has at most %(n)s characters.") % {"n": MAX_MESSAGE_CHARS})
    _check_may_write(case, party=party, by=by)
    with transaction.atomic():
        message = RoomMessage.objects.create(
            case=case, party=party, user=None if party else by, private=bool(private and party), text=text,
            at=timezone.now(),
        )
        record(by if party is None else None, "online.message_posted", message, area_code=case.area_id,
               actor_name=party.name if party else "", private=message.private)
        if party is not None:
            _tell_mediators(case, _("%(party)s wrote in the mediation room of case %(number)s.") % {
                "party": party.name, "number": case.number}, key=f"online.message:{message.pk}")
        elif not message.private:
            # At most one text a day per case: the party reads every message behind their link.
            text = _("%(centre)s: the mediator wrote to you in case %(number)s. Open your case link to read it.") % {
                "centre": case.centre.name, "number": case.number}
            notify_parties(case, text, key=f"online.mediator_message:{case.pk}:{timezone.localdate().isoformat()}")
    return message


def _tell_mediators(case, text: str, *, key: str) -> None:
    """A party's message or file reaches the case's mediators (core.notices: the notifications app
    delivers it to their inboxes and chosen channels)."""
    mediators = tuple(a.mediator for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator"))
    if mediators:
        announce(Notice(kind="case.party_message", text=text, key=key, recipients=mediators,
                        url=reverse("online:room", args=[case.pk]), about=case, area_code=case.area_id))


def do_upload_evidence(case, *, upload, party: Party | None = None, by=None, note: str = "") -> Evidence:
    """Put a file into the case: a PDF, PNG or JPEG of at most MAX_UPLOAD_MB, recognised by its content."""
    _check_may_write(case, party=party, by=by)
    kind = uploads.check_upload(upload, kinds=EVIDENCE_KINDS, refusal=_(
        "Only PDF documents and PNG or JPEG pictures can be uploaded."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        evidence = Evidence(
            case=case, party=party, user=None if party else by, name=(upload.name or "file")[-150:],
            content_type=kind.content_type, size=upload.size, sha256=digest.hexdigest(), note=(note or "").strip()[:200],
            at=timezone.now(),
        )
        # The stored name is ours: nothing from the uploader's file name reaches the file system.
        evidence.file.save(f"{case.number}-{secrets.token_hex(8)}{kind.extension}", upload, save=False)
        evidence.save()
        record(by if party is None else None, "online.evidence_uploaded", evidence, area_code=case.area_id,
               actor_name=party.name if party else "", sha256=evidence.sha256, size=evidence.size)
        if party is not None:
            _tell_mediators(case, _("%(party)s added evidence to case %(number)s: %(name)s") % {
                "party": party.name, "number": case.number, "name": evidence.name}, key=f"online.evidence:{evidence.pk}")
    return evidence


def can_enter_room(case, user) -> bool:
    """The mediation room (every message, private ones too, the parties' full names and the evidence) is
    for the case's assigned mediators and the centre staff who supervise it, not for every reader."""
    return is_mediator(user, case)


def get_room_messages(case, *, party: Party | None = None):
    """Staff see every message; a party sees those to everyone and their own private ones."""
    messages = RoomMessage.objects.filter(case=case).select_related("party", "user")
    if party is not None:
        messages = messages.filter(Q(private=False) | Q(party=party))
    return messages


def do_schedule_session(case, *, by, starts_at, place: str, online: bool = True, note: str = "",
                        version: int | None = None) -> ScheduledSession:
    """The mediator schedules a session; every party with a mobile number is told by SMS. `version`: the
    case's, as read."""
    _check_room_open(case)
    check_mediator(by, case, RoomRefused)
    place = (place or "").strip()
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        raise RoomRefused(_("Give the date and time of the session."))
    if starts_at <= timezone.now():
        raise RoomRefused(_("A session is scheduled in the future."))
    if not place:
        raise RoomRefused(_("Give the place, or the link of the online meeting."))
    with transaction.atomic():
        check_case_version(case, version)
        session = ScheduledSession.objects.create(
            case=case, starts_at=starts_at, online=bool(online), place=place[:200], note=(note or "").strip()[:200],
            scheduled_by=by,
        )
        record(by, "online.session_scheduled", session, area_code=case.area_id,
               starts_at=starts_at.isoformat(), online=session.online)
        when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
        text = _("%(centre)s: a mediation session in case %(number)s is scheduled for %(when)s (%(place)s).") % {
            "centre": case.centre.name, "number": case.number, "when": when, "place": session.place,
        }
        notify_parties(case, text, key=f"online.session_scheduled:{session.pk}")
    return session


def do_cancel_session(session: ScheduledSession, *, by, reason: str, version: int | None = None) -> ScheduledSession:
    """The mediator calls off a session that has not started; every party with a mobile number is told
    by SMS, with the reason. A cancelled session stays on record (audited), off the parties' page.
    `version`: the case's, as read."""
    case = session.case
    check_mediator(by, case, RoomRefused)
    reason = (reason or "").strip()
    if not reason:
        raise RoomRefused(_("Say why the session is called off: the parties are told."))
    with transaction.atomic():
        check_case_version(case, version)
        current = ScheduledSession.objects.select_for_update().get(pk=session.pk)
        if current.cancelled_at is not None:
            raise RoomRefused(_("This session was already called off."))
        if current.starts_at <= timezone.now():
            raise RoomRefused(_("A session that has begun cannot be called off."))
        current.cancelled_at = timezone.now()
        current.save(update_fields=["cancelled_at"])
        record(by, "online.session_cancelled", current, area_code=case.area_id,
               starts_at=current.starts_at.isoformat(), reason=reason[:200])
        when = timezone.localtime(current.starts_at).strftime("%Y-%m-%d %H:%M")
        text = _("%(centre)s: the mediation session in case %(number)s on %(when)s is called off: %(reason)s") % {
            "centre": case.centre.name, "number": case.number, "when": when, "reason": reason[:200],
        }
        notify_parties(case, text, key=f"online.session_cancelled:{current.pk}")
    session.__dict__.update(current.__dict__)
    return current


def get_upcoming_sessions(case):
    """The sessions not called off that have not ended (begun less than three hours ago or later)."""
    return ScheduledSession.objects.filter(case=case, cancelled_at__isnull=True,
                                           starts_at__gte=timezone.now() - dt.timedelta(hours=3))


