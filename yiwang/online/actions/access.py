"""One-time codes, party access and invitations: how a party proves who they are and reaches their
case through their private link, and what they read there.

    issue_code(phone, purpose, *, access=None, message="") → OneTimeCode
        Send a fresh six-digit code by SMS (earlier unused codes for the same phone and purpose stop
        working). Per phone and hour, at most settings.SMS_CODES_PER_HOUR purposes (a purpose and the
        link it is for) and as many codes for any one of them: CodeRefused beyond.
    check_code(phone, purpose, code, *, access=None) → OneTimeCode
        Use the latest code: CodeRefused when there is none, it expired (CODE_MINUTES), it was used, it was
        tried wrongly MAX_ATTEMPTS times, or it is wrong (the wrong try is counted and kept).
    do_open_access(party, *, by=None) → (PartyAccess, token)   create or replace the party's private link
    do_invite_party(party, *, by, base_url, version=None) → PartyAccess   the case's intake side or
        mediators send the link (can_invite_parties; it replaces the token; open cases only)
    get_access(token) → PartyAccess | None                       the live link for a token
    do_request_access_code(access) → OneTimeCode                 SMS a code to the party's mobile
    do_verify_access(access, *, code) → PartyAccess              the code checks out: the party is in
    get_party_progress(access) → PartyProgress                   what the party reads of their case
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cases import actions as case_actions
from yiwang.cases import lifecycle as case_lifecycle
from yiwang.cases.models import Party
from yiwang.core import crypto
from yiwang.online.actions.base import AccessRefused, CodeRefused, check_case_version, is_mediator
from yiwang.online.models import CodePurpose, OneTimeCode, PartyAccess, hash_token
from yiwang.online.notify import notify_party, notify_phone
from yiwang.pii import mask_phone

CODE_MINUTES = 5
MAX_ATTEMPTS = 5

# ------------------------------------------------------------------------------------------ one-time codes


def _hash_code(salt: str, code: str) -> str:
    return salted_hmac("yiwang.online.code", f"{salt}:{code}", algorithm="sha256").hexdigest()


# pg_advisory_xact_lock(class, key) class for the per-phone code limit ("yw" "sms" as digits).
CODE_LIMIT_LOCK_CLASS = 7977_1


def _lock_code_limit(phone: str) -> None:
    """Serialise issue_code per phone for the rest of the transaction, so two requests at the same moment
    cannot both read the hour's count below the limit and both send. PostgreSQL: a transaction-scoped
    advisory lock keyed by the phone's blind hash (no phone in the lock table; two phones sharing the
    32-bit key only wait for each other). SQLite: every transaction begins IMMEDIATE (settings), which
    already takes the database's write lock before the count is read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    key = int(crypto.blind_hash("phone", phone)[:8] or "0", 16) - 2**31  # a signed 32-bit int
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s::int4, %s::int4)", [CODE_LIMIT_LOCK_CLASS, key])


def issue_code(phone: str, purpose: str, *, access: PartyAccess | None = None, message: str = "") -> OneTimeCode:
    """Send a new code to `phone` (rate-limited per phone) and return its record."""
    if purpose not in CodePurpose.values:
        raise ValueError(purpose)
    with transaction.atomic():
        _lock_code_limit(phone)
        now = timezone.now()  # read under the lock: the hour is counted from when this request may count
        # A code counts against the hour once it is sent for a new purpose (purpose and link): asking
        # again for the same one (the text was slow, the code expired) does not use up what an elderly
        # party needs to file, open and sign in one sitting. Repeats are capped per purpose too.
        recent = OneTimeCode.objects.filter(crypto.match("phone", phone), created_at__gte=now - dt.timedelta(hours=1))
        occasions = set(recent.values_list("purpose", "access_id")) | {(purpose, access.pk if access else None)}
        repeats = recent.filter(purpose=purpose, access=access).count()
        if len(occasions) > settings.SMS_CODES_PER_HOUR or repeats >= settings.SMS_CODES_PER_HOUR:
            raise CodeRefused(
                _("Too many codes were sent to this number in the last hour. Please try again later."),
                code="rate_limited",
            )
        # Only the newest code works: an older one still in someone's inbox is void.
        OneTimeCode.objects.filter(crypto.match("phone", phone), purpose=purpose, used_at__isnull=True).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(10**6):06d}"
        salt = secrets.token_hex(8)
        otc = OneTimeCode.objects.create(
            phone=phone, purpose=purpose, access=access, salt=salt, code_hash=_hash_code(salt, code),
            created_at=now, expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
        area = access.party.case.area_id if access else ""
        record(None, "online.code_sent", otc, area_code=area, purpose=purpose, phone=mask_phone(phone))
        text = _("Your yiwang verification code is %(code)s, valid for %(minutes)s minutes. "
                 "Do not tell it to anyone.") % {"code": code, "minutes": CODE_MINUTES}
        notify_phone(phone, f"{message}{text}", key=f"online.code:{otc.pk}", about=otc, area_code=area,
                     secret=True)
    return otc


def check_code(phone: str, purpose: str, code: str, *, access: PartyAccess | None = None) -> OneTimeCode:
    """Use the newest code sent to `phone` for `purpose` (and `access`, when given)."""
    now = timezone.now()
    code = (code or "").strip()
    refusal = None
    with transaction.atomic():
        codes = OneTimeCode.objects.select_for_update().filter(crypto.match("phone", phone), purpose=purpose)
        if access is not None:
            codes = codes.filter(access=access)
        otc = codes.order_by("-created_at", "-id").first()
        if otc is None or otc.used_at is not None:
            refusal = CodeRefused(_("Request a new code first."), code="no_code")
        elif otc.expires_at <= now:
            refusal = CodeRefused(_("This code has expired. Request a new one."), code="expired")
        elif otc.attempts >= MAX_ATTEMPTS:
            refusal = CodeRefused(_("Too many wrong tries. Request a new code."), code="locked")
        elif not (len(code) == 6 and code.isdigit() and constant_time_compare(_hash_code(otc.salt, code),
                                                                              otc.code_hash)):
            # The wrong try is committed even though the check fails: that is what makes the limit hold.
            otc.attempts += 1
            otc.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - otc.attempts
            refusal = CodeRefused(
                _("The code is wrong. %(left)s tries left.") % {"left": left} if left
                else _("Too many wrong tries. Request a new code."),
                code="wrong",
            )
        else:
            otc.used_at = now
            otc.save(update_fields=["used_at"])
        area = access.party.case.area_id if access else ""
        if otc is not None:
            record(None, "online.code_checked", otc, area_code=area, ok=refusal is None,
                   refusal=refusal.code if refusal else "")
    if refusal is not None:
        raise refusal
    return otc


# ------------------------------------------------------------------------------------------- party access


def do_open_access(party: Party, *, by=None) -> tuple[PartyAccess, str]:
    """Create the party's private link, or replace its token (the old link stops working). A step of
    the actions that hand a link out (do_invite_party, do_file_online, do_prepare_signing), which check
    who may do so; audited here."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    with transaction.atomic():
        access, created = PartyAccess.objects.select_for_update().get_or_create(
            party=party, defaults={"token_hash": hash_token(token), "created_at": now, "created_by": by},
        )
        if not created:
            access.token_hash = hash_token(token)
            access.created_at, access.created_by, access.revoked_at = now, by, None
            access.save(update_fields=["token_hash", "created_at", "created_by", "revoked_at"])
        record(by, "online.access_opened", access, area_code=party.case.area_id, party=party.pk,
               role=party.role, replaced=not created)
    return access, token


def get_access_url(token: str, base_url: str = "") -> str:
    """The party's private link for `token`, absolute when `base_url` is given."""
    return f"{base_url.rstrip('/')}{reverse('online:party', args=[token])}"


def can_invite_parties(case, user) -> bool:
    """Who may (re-)send a party their private link, which replaces the party's token: the intake side of
    this case (its registering centre or the organisation that submitted it), its assigned mediators and
    centre staff who supervise it (cases.actions.check_case_party)."""
    return case_actions.check_case_party(case, user, "case.intake") or is_mediator(user, case)


def do_invite_party(party: Party, *, by, base_url: str, version: int | None = None) -> PartyAccess:
    """Staff send a party (typically the respondent) their private link by SMS. `version` is the case's
    version the caller read (StaleCase when it changed since)."""
    case = party.case
    if not can_invite_parties(case, by):
        raise AccessRefused(_("You may not invite parties to case %(number)s.") % {"number": case.number})
    if not party.phone:
        raise AccessRefused(_("This party has no mobile number on the case."))
    if not case.is_open:
        raise AccessRefused(_("Case %(number)s is closed: there is nothing to invite a party to.")
                            % {"number": case.number})
    with transaction.atomic():
        check_case_version(case, version)
        access, token = do_open_access(party, by=by)
        url = get_access_url(token, base_url)
        text = _("%(centre)s: you are a party to dispute %(number)s. Read it and answer here: %(url)s") % {
            "centre": case.centre.name, "number": case.number, "url": url,
        }
        # A new invitation is a new link (a new token): its key; a retry of the same one is not sent twice.
        notify_party(party, text, key=f"online.party_invited:{access.pk}:{access.token_hash[:16]}", secret=True)
        record(by, "online.party_invited", access, area_code=case.area_id, party=party.pk)
    return access


def get_access(token: str) -> PartyAccess | None:
    """The live access for a token from a link, or None (unknown, replaced or revoked alike)."""
    if not token or len(token) > 64:
        return None
    return (
        PartyAccess.objects.select_related("party__case__centre", "party__case__dispute_type")
        .filter(token_hash=hash_token(token), revoked_at__isnull=True).first()
    )


def send_party_code(access: PartyAccess, purpose: str) -> OneTimeCode:
    """SMS a code for `purpose` to the mobile number on the case (issue_code: in its own transaction,
    rate-limited, audited), or CodeRefused when the case has none for this party."""
    if not access.party.phone:
        raise CodeRefused(_("No mobile number is on the case for you. Please call the centre."), code="no_phone")
    return issue_code(access.party.phone, purpose, access=access)


def do_request_access_code(access: PartyAccess) -> OneTimeCode:
    """SMS a code to the mobile number on the case, to open the party's view."""
    return send_party_code(access, CodePurpose.ACCESS)


def do_verify_access(access: PartyAccess, *, code: str) -> PartyAccess:
    """The party typed the code sent to their mobile: they are in (the view keeps that in the session)."""
    # Outside the transaction below: a wrong try is counted (and committed) even though it refuses.
    check_code(access.party.phone, CodePurpose.ACCESS, code, access=access)
    with transaction.atomic():
        access.last_seen_at = timezone.now()
        access.save(update_fields=["last_seen_at"])
    return access


# ------------------------------------------------------------------------------------- the party's page

# The lines of the timeline a party sees, in plain words, are the cases lifecycle table's (one per step
# a party hears of: cases.lifecycle.CITIZEN_EVENTS, keyed by the timeline's EventKind).
CITIZEN_EVENTS = case_lifecycle.CITIZEN_EVENTS


@dataclass
class PartyProgress:
    """What a party may see of their case, and nothing more."""

    case: object
    party: Party
    other_parties: list[str]
    mediators: list[str]
    timeline: list[tuple]
    deadline: object
    mediation_deadline: object


def get_party_progress(access: PartyAccess) -> PartyProgress:
    """The citizen-facing view of the one case this access belongs to."""
    party = access.party
    case = party.case
    mediators = [
        a.mediator.display_name or a.mediator.get_username()
        for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator")
    ]
    timeline = [
        (event.at, CITIZEN_EVENTS[event.kind])
        for event in case.events.filter(kind__in=list(CITIZEN_EVENTS)).order_by("at", "id")
    ]
    others = [f"{p.get_role_display()} {p.name}" for p in case.parties.exclude(pk=party.pk)]
    return PartyProgress(
        case=case, party=party, other_parties=others, mediators=mediators, timeline=timeline,
        deadline=case.deadline if case.is_open else None,
        mediation_deadline=case.mediation_deadline if case.status == "mediating" else None,
    )

