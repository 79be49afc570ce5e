"""Everything that changes the citizen side of a case. Pages and the API call these functions.

One-time codes
    issue_code(phone, purpose, *, access=None, message="") → OneTimeCode
        Send a fresh six-digit code by SMS (earlier unused codes for the same phone and purpose stop
        working). At most settings.SMS_CODES_PER_HOUR codes per phone per hour: CodeRefused beyond.
    check_code(phone, purpose, code, *, access=None) → OneTimeCode
        Use the latest code: CodeRefused when there is none, it expired (CODE_MINUTES), it was used, it was
        tried wrongly MAX_ATTEMPTS times, or it is wrong (the wrong try is counted and kept).
Party access
    do_open_access(party, *, by=None) → (PartyAccess, token)   create or replace the party's private link
    do_invite_party(party, *, by, base_url) → PartyAccess        the case's intake side or mediators send the link
                                                                 (can_invite_parties; it replaces the token)
                                                                 (open cases only)
    get_access(token) → PartyAccess | None                       the live link for a token
    do_request_access_code(access) → OneTimeCode                 SMS a code to the party's mobile
    do_verify_access(access, code) → PartyAccess                 the code checks out: the party is in
Online filing (解纷码)
    get_online_intake_user(centre) → User                        the centre's 解纷码 intake identity
    do_file_online(*, centre, base_url, dispute_type, area, facts, claims, applicant, respondent, …)
        → (Case, token)   register through cases.actions.do_register_case with channel "online", open
        the applicant's link and send it with a code by SMS.
    do_answer_invitation(access, *, accept) → PartyAccess        the respondent accepts or refuses (art. 17);
        a refusal calls cases.actions.do_record_refusal as the centre's intake identity (registered →
        not_accepted; accepted/assigned/mediating → terminated; routes told, art. 26) and texts the applicants
Remote signing
    do_prepare_signing(case, *, by, base_url) → SignedAgreement  agreed case → PDF with a signing page; SMS
    do_request_signing_code(access) → OneTimeCode
    do_sign_as_party(access, *, code, drawing) → Signature       drawn signature + code → PAdES signature
    do_sign_as_mediator(case, *, by) → SignedAgreement           after every party: mediator, then the seal
Mediation room
    do_post_message(case, *, text, party=None, by=None, private=False) → RoomMessage
    do_upload_evidence(case, *, upload, party=None, by=None, note="") → Evidence   PDF/PNG/JPEG, size-limited
    do_schedule_session(case, *, by, starts_at, place, online=True, note="") → ScheduledSession (SMS)
Judicial confirmation
    check_confirmation(case, *, by)                            SigningRefused unless it may be assembled now
    do_assemble_confirmation(case, *, by) → (zip bytes, name)  application + agreement; applies (art. 33)
Satisfaction
    do_rate_service(access, *, satisfaction, note="") → PartyAccess   once per party, joins the follow-ups
Readers
    get_party_progress(access), get_signed_agreement(case), get_pending_parties(signed),
    get_room_messages(case, party=None), can_enter_room(case, user) (the case's mediators and centre staff)
    get_case_tools(case, user, full_pii=False) → CaseTools      what the staff case page (/cases/<id>/) links
        to for this user now: invitations, room, signing, confirmation, the sealed PDF + verify, ratings
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.accounts.models import Grant, Role, User
from yiwang.accounts.permissions import DEFAULT_ROLES
from yiwang.audit.actions import record
from yiwang.cases import actions as case_actions
from yiwang.cases import lifecycle as case_lifecycle
from yiwang.cases.models import Case, EventKind, Party
from yiwang.core import errors, uploads
from yiwang.online.models import (
    CodePurpose,
    Evidence,
    OneTimeCode,
    PartyAccess,
    RoomMessage,
    ScheduledSession,
    Signature,
    SignedAgreement,
    hash_token,
)
from yiwang.online.notify import notify_parties, notify_party, notify_phone
from yiwang.pii import mask_phone

CODE_MINUTES = 5
MAX_ATTEMPTS = 5
ONLINE_INTAKE_ROLE = "online_intake"
# The role's name, as accounts.permissions.DEFAULT_ROLES gives it; marked here too so that this app's
# catalogue carries its Chinese.
ONLINE_INTAKE_ROLE_NAME = gettext_lazy("Online intake (解纷码)")


class CodeRefused(errors.ActionRefused):
    """A code could not be sent or did not check out; the message says why, in the user's language."""


class AccessRefused(errors.ActionRefused):
    """The user may not do this to a party's access."""


def _check_version(case, version: int | None) -> None:
    """Inside the action's transaction: lock the case row and refuse (StaleCase) when it changed since
    the caller read it at `version`; None means the version of the `case` passed, as in cases.actions."""
    locked = Case.objects.select_for_update().only("version", "number").get(pk=case.pk)
    expected = case.version if version is None else int(version)
    if locked.version != expected:
        raise case_actions.StaleCase(
            _("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
            % {"number": locked.number}
        )


# ------------------------------------------------------------------------------------------ one-time codes


def _hash_code(salt: str, code: str) -> str:
    return salted_hmac("yiwang.online.code", f"{salt}:{code}", algorithm="sha256").hexdigest()


def issue_code(phone: str, purpose: str, *, access: PartyAccess | None = None, message: str = "") -> OneTimeCode:
    """Send a new code to `phone` (rate-limited per phone) and return its record."""
    if purpose not in CodePurpose.values:
        raise ValueError(purpose)
    now = timezone.now()
    with transaction.atomic():
        sent = OneTimeCode.objects.filter(phone=phone, created_at__gte=now - dt.timedelta(hours=1)).count()
        if sent >= settings.SMS_CODES_PER_HOUR:
            raise CodeRefused(
                _("Too many codes were sent to this number in the last hour. Please try again later."),
                code="rate_limited",
            )
        # Only the newest code works: an older one still in someone's inbox is void.
        OneTimeCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
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
        codes = OneTimeCode.objects.select_for_update().filter(phone=phone, purpose=purpose)
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
    """Create the party's private link, or replace its token (the old link stops working)."""
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
    return f"{base_url.rstrip('/')}{reverse('online:party', args=[token])}"


def can_invite_parties(case, user) -> bool:
    """Who may (re-)send a party their private link, which replaces the party's token: the intake side of
    this case (its registering centre or the organisation that submitted it), its assigned mediators and
    centre staff who supervise it (cases.actions.check_case_party)."""
    return case_actions.check_case_party(case, user, "case.intake") or _is_mediator(user, case)


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
        _check_version(case, version)
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


def do_request_access_code(access: PartyAccess) -> OneTimeCode:
    """SMS a code to the mobile number on the case, to open the party's view."""
    if not access.party.phone:
        raise CodeRefused(_("No mobile number is on the case for you. Please call the centre."), code="no_phone")
    return issue_code(access.party.phone, CodePurpose.ACCESS, access=access)


def do_verify_access(access: PartyAccess, code: str) -> PartyAccess:
    """The party typed the code sent to their mobile: they are in (the view keeps that in the session)."""
    check_code(access.party.phone, CodePurpose.ACCESS, code, access=access)
    access.last_seen_at = timezone.now()
    access.save(update_fields=["last_seen_at"])
    return access


# ------------------------------------------------------------------------------------------ online filing


def get_online_intake_user(centre) -> User:
    """The account a centre's 解纷码 registers cases under: not a person, cannot sign in, may only
    register (and see) cases in the centre's area. One per centre, so numbers carry the centre's code."""
    # Installed by a migration (accounts.permissions.DEFAULT_ROLES); created here only if someone deleted it.
    name, role_actions = DEFAULT_ROLES[ONLINE_INTAKE_ROLE]
    role, _created = Role.objects.get_or_create(
        code=ONLINE_INTAKE_ROLE, defaults={"name": str(name), "actions": role_actions}
    )
    user, created = User.objects.get_or_create(
        username=f"online_{centre.code.lower()}",
        defaults={"display_name": f"{centre.name}·解纷码", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Grant.objects.get_or_create(user=user, role=role, area=centre.area, defaults={"centre": centre})
    return user


def do_file_online(
    *, centre, base_url: str, dispute_type, area, facts: str, claims: str, applicant: dict,
    respondent: dict | None = None, amount=None, vessel_name: str = "", vessel_number: str = "",
    sea_area: str = "",
):
    """A citizen files through the centre's 解纷码. Everything is validated by the same registration
    action as the window's form (CaseInputError, nothing saved, on bad input); the applicant must give a
    mobile number (the only way back to the case). Returns the case and the applicant's link token."""
    check_filing_rate()
    errors = {}
    if not str((applicant or {}).get("phone") or "").strip():
        errors["applicants[0].phone"] = [_("Give your mobile number: the link to your case is sent there.")]
    respondents = [respondent] if respondent and any(str(v).strip() for v in respondent.values()) else []
    if not respondents:
        errors["respondents"] = [_("Name the other party to the dispute.")]
    area_code = getattr(area, "code", area) or ""
    if area_code and not area_in_centre(str(area_code), centre):
        errors["area"] = [_("Choose a place this centre serves.")]
    with transaction.atomic():
        intake = get_online_intake_user(centre)
        try:
            case = case_actions.do_register_case(
                by=intake, channel="online", dispute_type=dispute_type, area=area, facts=facts, claims=claims,
                applicants=[applicant], respondents=respondents, amount=amount, vessel_name=vessel_name,
                vessel_number=vessel_number, sea_area=sea_area,
            )
        except case_actions.CaseInputError as exc:
            raise case_actions.CaseInputError({**exc.message_dict, **errors}) from None
        except case_actions.PermissionRefused:
            if errors:  # a place outside the centre: the intake identity may not register there
                raise case_actions.CaseInputError(errors) from None
            raise
        if errors:
            raise case_actions.CaseInputError(errors)
        party = case.parties.filter(role="applicant").order_by("id").first()
        access, token = do_open_access(party)
        message = _("%(centre)s has registered your dispute as %(number)s. Follow it here: %(url)s ") % {
            "centre": centre.name, "number": case.number, "url": get_access_url(token, base_url),
        }
        try:
            issue_code(party.phone, CodePurpose.ACCESS, access=access, message=message)
        except CodeRefused:
            # Too many messages to this number this hour: nothing more is sent (no SMS flooding through
            # the public page); the page shows the link, and a code can be asked for later.
            pass
        record(None, "online.filed", case, actor_name=party.name, centre=centre.code)
    return case, token


def check_filing_rate() -> None:
    """At most settings.ONLINE_FILINGS_PER_HOUR filings an hour from one address: the page is public."""
    from yiwang.audit.context import get_origin
    from yiwang.audit.models import AuditEvent

    ip = get_origin().ip
    if not ip:
        return
    since = timezone.now() - dt.timedelta(hours=1)
    if AuditEvent.objects.filter(verb="online.filed", ip=ip, at__gte=since).count() >= settings.ONLINE_FILINGS_PER_HOUR:
        raise case_actions.PermissionRefused(
            _("Too many applications were sent from this network in the last hour. Please try again later "
              "or call the centre.")
        )


def area_in_centre(area_code: str, centre) -> bool:
    return area_code.startswith(centre.area_id)


# ------------------------------------------------------------------------------------------------ readers

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


# --------------------------------------------------------------------------------------- remote signing

MAX_DRAWING_BYTES = 300 * 1024
ROLE_LABELS = {"applicant": "申请人", "respondent": "被申请人"}


class SigningRefused(errors.ActionRefused):
    """Signing is not possible now; the message says why."""


def _is_mediator(by, case) -> bool:
    return case_actions.get_mediator_permission(by, case) is not None


def _store_pdf(signed: SignedAgreement, pdf: bytes, step: int) -> None:
    name = f"{signed.case.number}-{step}.pdf"
    signed.pdf.save(name, ContentFile(pdf), save=False)
    signed.sha256 = hashlib.sha256(pdf).hexdigest()


def _read_pdf(signed: SignedAgreement) -> bytes:
    with signed.pdf.open("rb") as handle:
        return handle.read()


def check_drawing(data_url: str):
    """The handwritten signature a party drew on the screen: a PNG data URL, not empty, not too big.
    Returns (png bytes, PIL image)."""
    from PIL import Image, UnidentifiedImageError

    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing")
    try:
        png = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing") from None
    if len(png) > MAX_DRAWING_BYTES:
        raise SigningRefused(_("The drawing is too large."), code="drawing_too_large")
    try:
        image = Image.open(BytesIO(png))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing") from None
    if image.format != "PNG" or image.width > 2000 or image.height > 2000:
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing")
    image = image.convert("RGBA")
    if image.getchannel("A").getbbox() is None:  # nothing drawn
        raise SigningRefused(_("Draw your signature in the box."), code="empty_drawing")
    return png, image


def do_prepare_signing(case, *, by, base_url: str, version: int | None = None) -> SignedAgreement:
    """The mediator puts the recorded agreement up for remote signing: the PDF with its signing page is
    made, and each party with a mobile number gets their link by SMS. `version`: the case's, as read."""
    from yiwang.online.documents import render_agreement_for_signing

    if not _is_mediator(by, case):
        raise SigningRefused(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})
    if not hasattr(case, "agreement") or case.status != "agreed":
        raise SigningRefused(_("Record the agreement first: remote signing starts from an agreed case."))
    if case.agreement.oral:
        raise SigningRefused(_("An oral agreement is recorded by the mediator, not signed remotely."))
    with transaction.atomic():
        _check_version(case, version)
        existing = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if existing is not None and existing.signatures.exists():
            raise SigningRefused(_("Signing has already started; the agreement can no longer be redrafted."))
        from yiwang.online.documents import MAX_SLOTS, get_slots

        parties = list(case.parties.all())
        slots = get_slots(case)
        # The signing page holds MAX_SLOTS boxes: the parties', the mediator's and the seal. Boxes are
        # matched to parties in order, so a case with more parties is signed on paper, not remotely.
        if len(slots) > MAX_SLOTS:
            raise SigningRefused(_("This agreement has more parties than the signing page holds (%(n)s at most): "
                                   "sign it on paper.") % {"n": MAX_SLOTS - 2})
        if len(slots) != len(parties) + 2:
            raise SigningRefused(_("The parties changed after the agreement was recorded: record it again."))
        pdf = render_agreement_for_signing(case)
        signed = existing or SignedAgreement(case=case)
        signed.slots = [
            {"label": slot.label, "role": slot.role, "box": list(slot.box),
             "party": parties[i].pk if slot.role in ROLE_LABELS and i < len(parties) else None}
            for i, slot in enumerate(slots)
        ]
        signed.created_at, signed.created_by, signed.completed_at = timezone.now(), by, None
        _store_pdf(signed, pdf, 0)
        signed.original_sha256 = signed.sha256
        signed.save()
        record(by, "online.signing_prepared", signed, area_code=case.area_id, sha256=signed.sha256)
        for party in parties:
            if not party.phone:
                continue
            if PartyAccess.objects.filter(party=party, revoked_at__isnull=True).exists():
                # Their link keeps working (only its hash is stored, so it cannot be sent again as is).
                text = _("%(centre)s: the mediation agreement of case %(number)s is ready. Open your case link "
                         "to read and sign it.") % {"centre": case.centre.name, "number": case.number}
            else:
                _access, token = do_open_access(party, by=by)
                text = _("%(centre)s: the mediation agreement of case %(number)s is ready. Read and sign it "
                         "here: %(url)s") % {"centre": case.centre.name, "number": case.number,
                                             "url": get_access_url(token, base_url)}
            notify_party(party, text, key=f"online.signing_prepared:{signed.pk}:{signed.created_at.isoformat()}",
                         secret=True)
    return signed


def get_signed_agreement(case) -> SignedAgreement | None:
    return SignedAgreement.objects.filter(case=case).first()


def get_pending_parties(signed: SignedAgreement) -> list[int]:
    """The parties (pks) who have not signed yet."""
    done = set(signed.signatures.exclude(party=None).values_list("party_id", flat=True))
    return [slot["party"] for slot in signed.slots if slot["party"] and slot["party"] not in done]


def _slot(signed: SignedAgreement, *, party=None, role=None) -> dict | None:
    for slot in signed.slots:
        if (party is not None and slot["party"] == party.pk) or (role is not None and slot["role"] == role):
            return slot
    return None


def _append_signature(signed: SignedAgreement, *, label: str, role: str, box=None, image=None, seal=False,
                      party=None, user=None, drawing: bytes = b"") -> Signature:
    from yiwang.audit.context import get_origin
    from yiwang.online.signing import sign_pdf

    order = signed.signatures.count() + 1
    pdf = sign_pdf(_read_pdf(signed), label, box=tuple(box) if box else None, image=image, seal=seal,
                   location=signed.case.centre.name)
    _store_pdf(signed, pdf, order)
    signed.save(update_fields=["pdf", "sha256"])
    signature = Signature(
        agreement=signed, order=order, role=role, party=party, user=user, label=label,
        signed_at=timezone.now(), ip_address=get_origin().ip, sha256=signed.sha256,
    )
    if drawing:
        signature.drawing.save(f"{signed.case.number}-{order}.png", ContentFile(drawing), save=False)
    signature.save()
    return signature


def do_request_signing_code(access: PartyAccess) -> OneTimeCode:
    """SMS the code that confirms a party's signature."""
    if not access.party.phone:
        raise CodeRefused(_("No mobile number is on the case for you. Please call the centre."), code="no_phone")
    return issue_code(access.party.phone, CodePurpose.SIGN, access=access)


def do_sign_as_party(access: PartyAccess, *, code: str, drawing: str) -> Signature:
    """A party signs: their drawn signature and the one-time code sent for signing; the platform then
    adds a digital signature in their name, recording order, time, address and the file's new hash."""
    party = access.party
    case = party.case
    png, image = check_drawing(drawing)
    with transaction.atomic():
        signed = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if signed is None or signed.completed_at is not None:
            raise SigningRefused(_("There is no agreement waiting for your signature."))
        if party.pk not in get_pending_parties(signed):
            raise SigningRefused(_("You have already signed this agreement."))
    # The code is checked (and a wrong try counted) in its own transaction, before anything is signed.
    check_code(party.phone, CodePurpose.SIGN, code, access=access)
    with transaction.atomic():
        signed = SignedAgreement.objects.select_for_update().get(pk=signed.pk)
        if party.pk not in get_pending_parties(signed):
            raise SigningRefused(_("You have already signed this agreement."))
        slot = _slot(signed, party=party)
        label = f"{ROLE_LABELS.get(party.role, '')} {party.name}".strip()
        signature = _append_signature(signed, label=label, role=party.role, box=slot["box"] if slot else None,
                                      image=image, party=party, drawing=png)
        record(None, "online.party_signed", signed, area_code=case.area_id, actor_name=party.name,
               party=party.pk, order=signature.order, sha256=signature.sha256)
    return signature


def do_sign_as_mediator(case, *, by, version: int | None = None) -> SignedAgreement:
    """The mediator signs once every party has, and the centre's seal and digital signature follow: the
    agreement takes effect (art. 29). Each party is told by SMS. `version`: the case's, as read."""
    if not _is_mediator(by, case):
        raise SigningRefused(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})
    with transaction.atomic():
        _check_version(case, version)
        signed = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if signed is None:
            raise SigningRefused(_("The agreement has not been put up for signing."))
        if signed.completed_at is not None:
            raise SigningRefused(_("The agreement is already signed and sealed."))
        if get_pending_parties(signed):
            raise SigningRefused(_("Every party must sign before the mediator."))
        slot = _slot(signed, role="mediator")
        name = by.display_name or by.get_username()
        _append_signature(signed, label=f"调解员 {name}", role="mediator", box=slot["box"] if slot else None,
                          user=by)
        seal_slot = _slot(signed, role="centre")
        _append_signature(signed, label=seal_slot["label"] if seal_slot else case.centre.name, role="centre",
                          box=seal_slot["box"] if seal_slot else None, seal=True, user=by)
        signed.completed_at = timezone.now()
        signed.save(update_fields=["completed_at"])
        record(by, "online.agreement_sealed", signed, area_code=case.area_id, sha256=signed.sha256)
        text = _("%(centre)s: the agreement of case %(number)s is signed by everyone and sealed. "
                 "Open your case link to download it.") % {"centre": case.centre.name, "number": case.number}
        notify_parties(case, text, key=f"online.agreement_sealed:{signed.pk}")
    return signed


# ------------------------------------------------------------------------------ the respondent's answer

ANSWERABLE_STATUSES = case_actions.REFUSABLE_STATUSES  # a refusal ends mediation through do_record_refusal
ROUTES_AFTER_REFUSAL = gettext_lazy(
    "You may sue in the people's court, apply for arbitration where the law or a contract provides for it, "
    "or ask the competent administrative authority to handle the matter (People's Mediation Law art. 26)."
)


def follow_refusal(case, event) -> None:
    """Hook core.hooks.case_changed: a refusal of mediation recorded by staff (heard at the window or by
    phone, cases.actions.do_record_refusal) is also the respondent's answer on their own page, so their
    link stops offering the choice and says they declined."""
    step = event.party_step if event.kind == EventKind.MEDIATION_REFUSED else None
    if step is None or step.party_role != "respondent":
        return
    PartyAccess.objects.filter(party_id=step.party_id).exclude(consent="refused").update(
        consent="refused", consent_at=event.at)


def do_answer_invitation(access: PartyAccess, *, accept: bool) -> PartyAccess:
    """The respondent accepts or refuses mediation (art. 17: it is voluntary). A refusal ends mediation
    through the disputes app's own action (cases.actions.do_record_refusal, taken by the centre's 解纷码
    identity: a case not yet accepted is not accepted, one taken on is terminated, the routes recorded as
    told), and the applicants are told by SMS which routes remain (art. 26)."""
    from django.utils import translation

    from yiwang.cases.models import Case

    party = access.party
    case = party.case
    if party.role != "respondent":
        raise AccessRefused(_("Only the respondent answers the invitation to mediate."))
    if case.status not in ANSWERABLE_STATUSES:
        raise AccessRefused(_("This case is no longer waiting for your answer."))
    if access.consent == "refused":
        raise AccessRefused(_("You have refused mediation; please call the centre if you changed your mind."))
    if accept and access.consent == "accepted":
        return access
    with transaction.atomic():
        now = timezone.now()
        access.consent, access.consent_at = ("accepted" if accept else "refused"), now
        access.save(update_fields=["consent", "consent_at"])
        kind = "respondent_accepted" if accept else "respondent_refused"
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if accept:
            try:
                case_actions.do_record_party_acceptance(locked, by=get_online_intake_user(locked.centre),
                                                        party=party, channel="online")
            except case_actions.CaseActionError as exc:
                raise AccessRefused(" ".join(exc.messages)) from None
        else:
            # The case file is kept in the centre's language, whatever language the respondent reads.
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("%(name)s, the respondent, declined mediation through their online link "
                           "(People's Mediation Law art. 17).") % {"name": party.name}
                routes = str(ROUTES_AFTER_REFUSAL)
            case_actions.do_record_refusal(locked, by=get_online_intake_user(locked.centre), party=party,
                                           reason=reason, routes_told=routes)
        record(None, f"online.{kind}", access, area_code=case.area_id, actor_name=party.name, party=party.pk)
        if not accept:
            text = _("%(centre)s: the respondent in case %(number)s declined mediation, so mediation will not "
                     "go on. %(routes)s") % {"centre": case.centre.name, "number": case.number,
                                              "routes": ROUTES_AFTER_REFUSAL}
            notify_parties(case, text, key=f"online.respondent_refused:{access.pk}", role="applicant")
    return access


# ------------------------------------------------------------------------------------- mediation room

MAX_MESSAGE_CHARS = 2000
# What evidence may be: recognised by the file's first bytes, not by its name or the browser's claim.
EVIDENCE_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)


class RoomRefused(errors.ActionRefused):
    """A message or an upload was refused; the message says why."""


def _check_room_open(case) -> None:
    if not case.is_open:
        raise RoomRefused(_("This case is closed: its mediation room takes no more messages or files."))


def _check_staff_in_room(by, case) -> None:
    if not _is_mediator(by, case):
        raise RoomRefused(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})


def do_post_message(case, *, text: str, party: Party | None = None, by=None, private: bool = False) -> RoomMessage:
    """A party (proven through their link) or the case's mediator writes in the mediation room. A party
    may write to the mediator alone; staff write to everyone."""
    text = (text or "").strip()
    if not text:
        raise RoomRefused(_("Write a message."))
    if len(text) > MAX_MESSAGE_CHARS:
        raise RoomRefused(_("A message has at most %(n)s characters.") % {"n": MAX_MESSAGE_CHARS})
    _check_room_open(case)
    if party is None:
        _check_staff_in_room(by, case)
    with transaction.atomic():
        message = RoomMessage.objects.create(
            case=case, party=party, user=None if party else by, private=bool(private and party), text=text,
            at=timezone.now(),
        )
        record(by if party is None else None, "online.message_posted", message, area_code=case.area_id,
               actor_name=party.name if party else "", private=message.private)
    return message


def do_upload_evidence(case, *, upload, party: Party | None = None, by=None, note: str = "") -> Evidence:
    """Put a file into the case: a PDF, PNG or JPEG of at most MAX_UPLOAD_MB, recognised by its content."""
    _check_room_open(case)
    if party is None:
        _check_staff_in_room(by, case)
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
    return evidence


def can_enter_room(case, user) -> bool:
    """The mediation room (every message, private ones too, the parties' full names and the evidence) is
    for the case's assigned mediators and the centre staff who supervise it, not for every reader."""
    return _is_mediator(user, case)


def get_room_messages(case, *, party: Party | None = None):
    """Staff see every message; a party sees those to everyone and their own private ones."""
    messages = RoomMessage.objects.filter(case=case).select_related("party", "user")
    if party is not None:
        messages = messages.filter(Q(private=False) | Q(party=party))
    return messages


# ------------------------------------------------------------------------------------------ satisfaction

# Mediation is over (agreed, ended, referred, or later): the parties may rate the service.
RATABLE_STATUSES = case_actions.RATABLE_STATUSES


def do_rate_service(access: PartyAccess, *, satisfaction, note: str = "") -> PartyAccess:
    """A party rates the service from 1 (very unsatisfied) to 5, once, after mediation is over. The
    rating joins the case's follow-up record (an online follow-up) and its timeline, through the disputes
    app's own action (cases.actions.do_record_party_rating, taken by the centre's 解纷码 identity)."""
    from yiwang.cases.models import Case

    party = access.party
    case = party.case
    try:
        satisfaction = int(satisfaction)
        if not 1 <= satisfaction <= 5:
            raise ValueError
    except (TypeError, ValueError):
        raise RoomRefused(_("Give a satisfaction score from 1 to 5.")) from None
    if case.status not in RATABLE_STATUSES:
        raise RoomRefused(_("You can rate the service once mediation is over."))
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = PartyAccess.objects.select_for_update().get(pk=access.pk)
        if locked.rated_at is not None:
            raise RoomRefused(_("You have already rated this case. Thank you."))
        now = timezone.now()
        locked.satisfaction, locked.rated_at = satisfaction, now
        locked.save(update_fields=["satisfaction", "rated_at"])
        label = f"{ROLE_LABELS.get(party.role, '')} {party.name}".strip()
        case = Case.objects.select_for_update().get(pk=case.pk)
        try:
            case_actions.do_record_party_rating(case, by=get_online_intake_user(case.centre), party=party,
                                                satisfaction=satisfaction, note=f"{label}：{note}" if note else label)
        except case_actions.CaseActionError as exc:
            raise RoomRefused(" ".join(exc.messages)) from None
        record(None, "online.service_rated", locked, area_code=case.area_id, actor_name=party.name,
               satisfaction=satisfaction)
    return locked


# ---------------------------------------------------------------------------------- judicial confirmation


def check_confirmation(case, *, by) -> None:
    """SigningRefused unless `by` may assemble the judicial confirmation application of `case` now: a
    mediator or a court liaison, an agreement that has taken effect, and (before anyone applied) the 30
    days of art. 33 still open."""
    # As do_apply_confirmation asks: the case's assigned mediator, or the court whose case it is.
    if not (case_actions.check_case_party(case, by, "case.mediate")
            or case_actions.check_case_party(case, by, "case.court")):
        raise SigningRefused(_("You may not apply for judicial confirmation of case %(number)s.")
                             % {"number": case.number})
    if not hasattr(case, "agreement") or case.status not in ("agreed", "confirmation_pending"):
        raise SigningRefused(_("Judicial confirmation needs an agreement that has taken effect."))
    deadline = case.agreement.effective_on + dt.timedelta(days=case_actions.CONFIRMATION_WINDOW_DAYS)
    if case.status == "agreed" and timezone.localdate() > deadline:
        raise SigningRefused(_("The 30 days for applying for judicial confirmation ended on %(date)s.")
                             % {"date": deadline.isoformat()})


def do_assemble_confirmation(case, *, by, version: int | None = None) -> tuple[bytes, str]:
    """One action for judicial confirmation (art. 33): within 30 days of the agreement taking effect,
    assemble the court application (the joint application with each party's identity and address for
    service, and the agreement — the sealed PDF when it was signed remotely) and record through the
    disputes app that the parties applied; the court's answer is then recorded there
    (do_record_confirmation). Returns the ZIP file's bytes and its name. `version`: the case's, as read."""
    import zipfile

    from yiwang.cases.documents import render_agreement
    from yiwang.online.documents import render_confirmation_application

    check_confirmation(case, by=by)
    signed = SignedAgreement.objects.filter(case=case, completed_at__isnull=False).first()
    with transaction.atomic():
        _check_version(case, version)
        if case.status == "agreed":
            case = case_actions.do_apply_confirmation(case, by=by)
        court = case.agreement.confirmation_court
        application = render_confirmation_application(case, court=court, signed=signed)
        agreement_pdf = _read_pdf(signed) if signed else render_agreement(case, full_pii=True)
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("01-司法确认申请书.pdf", application)
            archive.writestr("02-人民调解协议书.pdf", agreement_pdf)
        record(by, "online.confirmation_assembled", case, court=court.name if court else "",
               agreement_sha256=hashlib.sha256(agreement_pdf).hexdigest())
    return buffer.getvalue(), f"{case.number}-司法确认.zip"


def do_schedule_session(case, *, by, starts_at, place: str, online: bool = True, note: str = "",
                        version: int | None = None) -> ScheduledSession:
    """The mediator schedules a session; every party with a mobile number is told by SMS. `version`: the
    case's, as read."""
    _check_room_open(case)
    _check_staff_in_room(by, case)
    place = (place or "").strip()
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        raise RoomRefused(_("Give the date and time of the session."))
    if starts_at <= timezone.now():
        raise RoomRefused(_("A session is scheduled in the future."))
    if not place:
        raise RoomRefused(_("Give the place, or the link of the online meeting."))
    with transaction.atomic():
        _check_version(case, version)
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
    _check_staff_in_room(by, case)
    reason = (reason or "").strip()
    if not reason:
        raise RoomRefused(_("Say why the session is called off: the parties are told."))
    with transaction.atomic():
        _check_version(case, version)
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
    return ScheduledSession.objects.filter(case=case, cancelled_at__isnull=True,
                                           starts_at__gte=timezone.now() - dt.timedelta(hours=3))


# ------------------------------------------------------------------------------- staff: the case page

# Where the mediation room is in use: from the mediator's assignment until the agreement is performed.
ROOM_STATUSES = {"assigned", "mediating", "agreed", "confirmation_pending", "confirmed", "confirmation_rejected",
                 "performing"}


@dataclass
class CaseTools:
    """What the citizen side offers staff on the case page, limited to what this user may use now (each
    action checks again when called)."""

    invitable: list  # [{"party", "label", "access"}]: parties with a mobile this user may send their link to
    room: bool  # the mediation room: this user mediates the case and the room is in use
    signing: bool  # remote signing: put the agreement up, or sign and seal it
    confirmation: bool  # assemble the judicial confirmation application
    sealed: SignedAgreement | None  # the agreement signed by everyone and sealed: its PDF, and verification
    ratings: list  # [{"label", "satisfaction", "rated_at"}]: the parties' own ratings

    @property
    def any(self) -> bool:
        return bool(self.invitable or self.room or self.signing or self.confirmation or self.sealed or self.ratings)


def get_case_tools(case, user, *, full_pii: bool = False) -> CaseTools:
    """The online tools for `case` that `user` may use in the case's present state. Parties are named
    masked unless `full_pii` (the case page's own choice, recorded there)."""
    from yiwang.pii import mask_name

    accesses = {a.party_id: a for a in PartyAccess.objects.filter(party__case=case).select_related("party")}

    def label(party) -> str:
        return f"{party.get_role_display()} {party.name if full_pii else mask_name(party.name)}"

    may_invite = case.is_open and can_invite_parties(case, user)
    invitable = [{"party": p, "label": label(p), "access": accesses.get(p.pk)}
                 for p in case.parties.exclude(phone="")] if may_invite else []
    mediator = _is_mediator(user, case)
    signed = get_signed_agreement(case)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    signing = mediator and (
        (signed is not None and signed.completed_at is None)
        or (signed is None and case.status == "agreed" and agreement is not None and not agreement.oral)
    )
    try:
        check_confirmation(case, by=user)
        confirmation = True
    except SigningRefused:
        confirmation = False
    room = mediator and (case.status in ROOM_STATUSES or case.room_messages.exists() or case.evidence.exists())
    return CaseTools(
        invitable=invitable, room=room, signing=signing, confirmation=confirmation,
        sealed=signed if signed is not None and signed.completed_at is not None else None,
        ratings=[{"label": label(a.party), "satisfaction": a.satisfaction, "rated_at": a.rated_at}
                 for a in sorted((a for a in accesses.values() if a.rated_at), key=lambda a: a.rated_at)],
    )
