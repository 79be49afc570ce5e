"""A citizen without their link asks how their case stands: case number + the mobile number on the case
+ a code sent to that mobile (no link, no account). Public, so rate-limited per network address.

    do_request_status_code(number, phone)  → None    a code to the mobile when it is a party's on that
                                                     case; the same answer either way (nothing to learn
                                                     from it about who is a party to what)
    do_lookup_status(number, phone, code)  → CaseStatus   the citizen's view of the case
Each attempt is audited ("notifications.status_lookup") and counted: at most
settings.NOTIFICATIONS_STATUS_LOOKUPS_PER_HOUR an hour from one address, then PermissionRefused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.audit.context import get_origin
from yiwang.audit.models import AuditEvent
from yiwang.cases.lifecycle import CITIZEN_EVENTS
from yiwang.cases.models import Party
from yiwang.core import crypto
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.online.actions import check_code, issue_code
from yiwang.online.actions.base import CodeRefused
from yiwang.online.models import CodePurpose
from yiwang.pii import mask_phone

VERB = "notifications.status_lookup"


@dataclass
class CaseStatus:
    """What a party reads without their link: the number, the state in plain words, the timeline."""

    number: str
    status: str
    centre: str
    deadline: object
    timeline: list


def check_lookup_rate() -> None:
    ip = get_origin().ip
    if not ip:
        return
    since = timezone.now() - dt.timedelta(hours=1)
    if AuditEvent.objects.filter(verb=VERB, ip=ip, at__gte=since).count() >= settings.NOTIFICATIONS_STATUS_LOOKUPS_PER_HOUR:
        raise PermissionRefused(_("Too many look-ups from this network in the last hour. Please try again later "
                                  "or call the centre."))


def _clean(number: str, phone: str) -> tuple[str, str]:
    number, phone = (number or "").strip().upper(), (phone or "").strip()
    errors = {}
    if not number:
        errors["number"] = [_("Give the case number.")]
    if not (len(phone) == 11 and phone.isdigit()):
        errors["phone"] = [_("Give the 11-digit mobile number on the case.")]
    if errors:
        raise InputError(errors)
    return number, phone


def _party(number: str, phone: str) -> Party | None:
    return Party.objects.select_related("case__centre").filter(crypto.match("phone", phone), case__number=number).first()


def do_request_status_code(number: str, phone: str) -> None:
    """Send a code to `phone` if it is a party's on case `number` (rate-limited, audited)."""
    number, phone = _clean(number, phone)
    check_lookup_rate()
    party = _party(number, phone)
    with transaction.atomic():
        record(None, VERB, party.case if party else None, step="code", number=number[:30], phone=mask_phone(phone),
               found=party is not None)
    if party is not None:
        try:
            issue_code(phone, CodePurpose.ACCESS)
        except CodeRefused:
            raise
    # Not a party: the same answer, so the page tells nobody whose number is on which case.


def do_lookup_status(number: str, phone: str, code: str) -> CaseStatus:
    """The case as its party reads it, once the code sent to the mobile on the case checks out."""
    number, phone = _clean(number, phone)
    check_lookup_rate()
    party = _party(number, phone)
    with transaction.atomic():
        record(None, VERB, party.case if party else None, step="check", number=number[:30], phone=mask_phone(phone),
               found=party is not None)
    if party is None:
        raise CodeRefused(_("Request a new code first."), code="no_code")
    check_code(phone, CodePurpose.ACCESS, code)
    case = party.case
    timeline = [(event.at, CITIZEN_EVENTS[event.kind])
                for event in case.events.filter(kind__in=list(CITIZEN_EVENTS)).order_by("at", "id")]
    return CaseStatus(number=case.number, status=case.get_status_display(), centre=case.centre.name,
                      deadline=case.deadline if case.is_open else None, timeline=timeline)
