"""Taking a dispute in: registering it from any channel, in-person trips, attached files, withdrawal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from yiwang.areas.models import Area, DisputeType, Organisation, OrganisationKind, Window, WindowKind
from yiwang.cases import validators
from yiwang.cases.actions._base import (
    ACCEPT_WORKDAYS,
    DUPLICATE_DAYS,
    CaseInputError,
    PermissionRefused,
    _close,
    _event,
    _lock,
    _move,
    _required_text,
    _save,
    check_step,
)
from yiwang.cases.actions.routing import (
    _check_lead_leader,
    _intake_centre,
    _intake_organisation,
    get_centre_for,
    get_team_for,
    get_tier_for,
    get_window_for,
)
from yiwang.cases.models import (
    Attachment,
    Case,
    Channel,
    EventKind,
    Outcome,
    Party,
    PartyKind,
    PartyRole,
    Status,
    Tier,
)
from yiwang.cases.numbering import take_number
from yiwang.core import crypto, uploads
from yiwang.core.calendar import add_working_days
from yiwang.core.errors import IdempotencyConflict
from yiwang.core.scope import user_can, user_can_reach

# ----------------------------------------------------------------------------------------------- intake

# What one registration may hold (the pages' forms and the API's schema say the same): the facts and
# claims in characters, the applicants and the respondents each, and the earliest time of receipt.
FACTS_MAX = 5000
CLAIMS_MAX = 2000
PARTIES_MAX = 50
RECEIVED_EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass
class _PartyInput:
    role: str
    kind: str
    name: str
    id_number: str
    phone: str
    address: str
    credit_code: str
    representative: str


def check_parties(applicants, respondents) -> tuple[list[_PartyInput], dict[str, list[str]]]:
    """Validated parties and errors keyed like "applicants[0].id_number"."""
    errors: dict[str, list[str]] = {}
    parties: list[_PartyInput] = []
    for field, role, items in (("applicants", PartyRole.APPLICANT, applicants),
                               ("respondents", PartyRole.RESPONDENT, respondents)):
        if items is None:
            items = []
        if not isinstance(items, (list, tuple)):
            errors[field] = [_("Give a list of parties.")]
            continue
        if role == PartyRole.APPLICANT and not items:
            errors[field] = [_("Name at least one applicant.")]
        if len(items) > PARTIES_MAX:
            errors[field] = [_("Name at most %(n)s parties on each side.") % {"n": PARTIES_MAX}]
            continue
        for index, item in enumerate(items):
            key = f"{field}[{index}]"
            if not isinstance(item, dict):
                errors[key] = [_("Give the party's details.")]
                continue
            kind = item.get("kind") or (PartyKind.ORGANISATION if item.get("credit_code") else PartyKind.PERSON)
            party = _PartyInput(
                role=role, kind=kind, name=str(item.get("name") or "").strip(),
                id_number=str(item.get("id_number") or "").strip().upper(),
                phone=str(item.get("phone") or "").strip().replace(" ", "").replace("-", ""),
                address=str(item.get("address") or "").strip(),
                credit_code=str(item.get("credit_code") or "").strip().upper(),
                representative=str(item.get("representative") or "").strip(),
            )
            if kind not in PartyKind.values:
                errors[f"{key}.kind"] = [_("A party is a person or an organisation.")]
            if not party.name:
                errors[f"{key}.name"] = [_("Enter the party's name.")]
            elif len(party.name) > 100:
                errors[f"{key}.name"] = [_("A name has at most 100 characters.")]
            if len(party.address) > 200:
                errors[f"{key}.address"] = [_("An address has at most 200 characters.")]
            if party.id_number:
                if kind == PartyKind.ORGANISATION:
                    errors[f"{key}.id_number"] = [_("An organisation has a credit code, not an ID number.")]
                else:
                    try:
                        validators.validate_id_number(party.id_number)
                    except ValidationError as e:
                        errors[f"{key}.id_number"] = e.messages
            if party.phone:
                try:
                    validators.validate_mobile(party.phone)
                except ValidationError as e:
                    errors[f"{key}.phone"] = e.messages
            elif role == PartyRole.APPLICANT and kind == PartyKind.PERSON:
                errors[f"{key}.phone"] = [_("Enter the applicant's mobile number, so that we can reach them.")]
            if party.credit_code:
                try:
                    validators.validate_credit_code(party.credit_code)
                except ValidationError as e:
                    errors[f"{key}.credit_code"] = e.messages
            parties.append(party)
    return parties, errors


def do_register_case(
    *, by, channel: str, dispute_type, area, facts: str, claims: str, applicants, respondents=(),
    amount=None, people_involved=1, vessel_name: str = "", vessel_number: str = "", sea_area: str = "",
    window: Window | None = None, tier: str | None = None, lead_leader=None, received_at=None,
    idempotency_key: str = "", submitted_by_organisation=None, permission: str = "case.intake",
) -> Case:
    """Register a dispute from any channel: validate everything, number it, route it (tier, centre,
    window, maritime team), give it an owner and a deadline, flag a likely duplicate. With an
    `idempotency_key`, a repeat by the same user returns the first case and creates nothing.

    The case is a bank's or a court's own (its operator and liaison see it) when registered under a grant
    limited to that organisation, or when a centre registering it names `submitted_by_organisation` (an
    Organisation or its id: a bank, or the court delegating it). `permission` is the code the user registers
    under: case.intake, or case.court when a court's liaison registers its delegation (do_register_delegation)."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    idempotency_key = (idempotency_key or "").strip()[:100]
    fingerprint = _fingerprint(
        channel=channel, dispute_type=dispute_type, area=area, facts=facts, claims=claims, applicants=applicants,
        respondents=respondents, amount=amount, people_involved=people_involved, vessel_name=vessel_name,
        vessel_number=vessel_number, sea_area=sea_area, window=window, tier=tier, lead_leader=lead_leader,
        received_at=received_at, submitted_by_organisation=submitted_by_organisation,
    ) if idempotency_key else ""
    if idempotency_key:
        existing = Case.objects.filter(created_by=by, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, fingerprint, idempotency_key)

    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Choose one of the intake channels.")]
    if not isinstance(dispute_type, DisputeType):
        dispute_type = DisputeType.objects.filter(code=str(dispute_type or ""), active=True).first()
        if dispute_type is None:
            errors["dispute_type"] = [_("Choose a known dispute type.")]
    if not isinstance(area, Area):
        area = Area.objects.filter(code=str(area or "")).first()
        if area is None:
            errors["area"] = [_("Give the division code of the place where the dispute arose.")]
    facts = _required_text(errors, "facts", facts, _("Describe the facts of the dispute."))
    claims = _required_text(errors, "claims", claims, _("State what the applicant asks for."))
    for field, value, most in (("facts", facts, FACTS_MAX), ("claims", claims, CLAIMS_MAX)):
        if not isinstance(value, str):
            errors[field] = [_("Enter text.")]
        elif len(value) > most:
            errors[field] = [_("At most %(n)s characters.") % {"n": most}]
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount))
            if amount < 0 or amount >= Decimal("1e12") or amount != round(amount, 2):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["amount"] = [_("Enter an amount in yuan, zero or more, with at most two decimals.")]
    else:
        amount = None
    try:
        people_involved = int(people_involved if people_involved not in (None, "") else 1)
        if not 1 <= people_involved <= 100000:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_involved"] = [_("Enter the number of people involved (at least 1).")]
        people_involved = 1
    parties, party_errors = check_parties(applicants, respondents)
    errors.update(party_errors)
    vessel_name, vessel_number, sea_area = (str(v or "").strip() for v in (vessel_name, vessel_number, sea_area))
    if isinstance(dispute_type, DisputeType) and not dispute_type.maritime:
        vessel_name = vessel_number = sea_area = ""  # a dispute on land has none, whatever a form sent
    if isinstance(dispute_type, DisputeType) and dispute_type.maritime:
        if not (vessel_name or vessel_number):
            errors["vessel_name"] = [_("A maritime dispute needs the vessel's name or number.")]
        if not sea_area:
            errors["sea_area"] = [_("A maritime dispute needs the sea area where it arose.")]
    now = timezone.now()
    if received_at in (None, ""):
        received_at = now
    elif not isinstance(received_at, dt.datetime):
        errors["received_at"] = [_("Enter a valid date and time.")]
    elif timezone.is_naive(received_at) or received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = [_("The time of receipt cannot be in the future.")]
    elif received_at < RECEIVED_EARLIEST:
        errors["received_at"] = [_("The time of receipt cannot be before the year 2000.")]
    if tier not in (None, "") and tier not in Tier.values:
        errors["tier"] = [_("Choose village, town or district.")]
    if submitted_by_organisation not in (None, "") and not isinstance(submitted_by_organisation, Organisation):
        submitted_by_organisation = Organisation.objects.filter(pk=str(submitted_by_organisation)).first() if \
            str(submitted_by_organisation).isdigit() else None
        if submitted_by_organisation is None:
            errors["submitted_by_organisation"] = [_("Choose a bank or a court.")]
    if isinstance(submitted_by_organisation, Organisation) and (
            submitted_by_organisation.kind not in (OrganisationKind.BANK, OrganisationKind.COURT)
            or not submitted_by_organisation.active):
        errors["submitted_by_organisation"] = [_("Choose a bank or a court.")]
    if errors:
        raise CaseInputError(errors)

    if not user_can(by, permission, area.code):
        raise PermissionRefused(_("You may not register cases in %(area)s.") % {"area": area.name})
    tier = tier or get_tier_for(dispute_type, amount=amount, people_involved=people_involved, channel=channel)
    centre = get_centre_for(area.code, tier)
    if centre is None:
        raise CaseInputError({"area": _("No centre serves this area.")})
    if centre.level == Tier.DISTRICT and lead_leader is not None:
        _check_lead_leader(lead_leader, area.code)
    routed_window = get_window_for(centre, dispute_type)
    handed_from = ""
    if window is not None and window.centre_id == centre.id and window.kind == WindowKind.SPECIALISED:
        routed_window = window
    elif window is not None and routed_window is not None and window.pk != routed_window.pk:
        handed_from = str(window)  # a comprehensive window hands the case to the specialised one
    registered_centre = _intake_centre(by, area.code) or centre

    try:
        with transaction.atomic():
            case = Case(
                channel=channel, dispute_type=dispute_type, area=area, centre=centre,
                registered_centre=registered_centre, tier=centre.level, window=routed_window,
                team=get_team_for(area.code, dispute_type), status=Status.REGISTERED, facts=facts,
                claims=claims, amount=amount, people_involved=people_involved, vessel_name=vessel_name[:60],
                vessel_number=vessel_number[:40], sea_area=sea_area[:100], received_at=received_at,
                deadline=add_working_days(timezone.localtime(received_at).date(), ACCEPT_WORKDAYS),
                owner=by, lead_leader=lead_leader if centre.level == Tier.DISTRICT else None,
                visits=1 if channel == Channel.WINDOW else 0, created_by=by, idempotency_key=idempotency_key,
                submitted_by_organisation=_intake_organisation(by, area.code) or submitted_by_organisation or None,
            )
            case.number = take_number(registered_centre, timezone.localtime(received_at).year)
            errors = case.invariant_errors()
            if errors:
                raise AssertionError("; ".join(errors))
            case.save()
            _remember_parties(case, Party.objects.bulk_create([Party(case=case, **vars(p)) for p in parties]))
            duplicate = get_possible_duplicates(case).first()
            if duplicate is not None:
                case.possible_duplicate = duplicate
                case.save(update_fields=["possible_duplicate"])
            _event(
                case, by, EventKind.REGISTERED, permission=permission, channel=channel, tier=case.tier,
                centre=centre.name, window=str(routed_window or ""), handed_from=handed_from,
                possible_duplicate=duplicate.number if duplicate else "",
                **({"request_fingerprint": fingerprint} if fingerprint else {}),
            )
    except IntegrityError:
        # The same idempotency key arrived twice at once: the first one won, and this returns its case.
        existing = Case.objects.filter(created_by=by, idempotency_key=idempotency_key).first() if \
            idempotency_key else None
        if existing is None:
            raise
        return _replayed(existing, fingerprint, idempotency_key)
    case.just_created = True
    return case


def _fingerprint(**values) -> str:
    """A keyed hash of what a registration asked for (objects by their key), stored with the case so that
    a repeat of its Idempotency-Key can be told apart from a different request reusing the key."""
    def plain(value):
        return getattr(value, "pk", None) or str(value)

    text = json.dumps(values, sort_keys=True, default=plain, ensure_ascii=False)
    return salted_hmac("yiwang.cases.idempotency", text, algorithm="sha256").hexdigest()


def _replayed(existing: Case, fingerprint: str, key: str) -> Case:
    """The case a repeated Idempotency-Key created; a different request under the same key is refused."""
    registered = existing.events.filter(kind=EventKind.REGISTERED).only("detail").first()
    stored = (registered.detail or {}).get("request_fingerprint", "") if registered else ""
    if stored and fingerprint and not constant_time_compare(stored, fingerprint):
        raise IdempotencyConflict(
            _("The Idempotency-Key %(key)s was already used for case %(number)s with a different request: "
              "resend that request unchanged, or use a new key for a new case.")
            % {"key": key, "number": existing.number})
    existing.just_created = False
    return existing


def _remember_parties(case: Case, parties: list[Party]) -> None:
    """The parties just inserted, as if prefetched: what the registration's own readers (the duplicate
    check, the hooks' case.parties.all(), the API's answer) would otherwise read back from the table.
    Ordered as Party.Meta.ordering orders them (applicants first, then in insertion order)."""
    parties = sorted(parties, key=lambda p: (p.role, p.pk or 0))
    cached = Party.objects.filter(case=case)
    cached._result_cache, cached._prefetch_done = parties, True
    case._prefetched_objects_cache = {**getattr(case, "_prefetched_objects_cache", {}), "parties": cached}


def get_possible_duplicates(case: Case):
    """Other live cases of the same type, received within DUPLICATE_DAYS, sharing a party's ID number
    or mobile number: most likely the same dispute arriving through another channel."""
    parties = case.parties.all()  # a registration's own, already in hand (_remember_parties), or one query
    ids = [p.id_number for p in parties if p.id_number]
    phones = [p.phone for p in parties if p.phone]
    if not ids and not phones:
        return Case.objects.none()
    matching = Party.objects.filter(crypto.match_any("id_number", ids) | crypto.match_any("phone", phones)
                                    ).values("case_id")
    since = case.received_at - dt.timedelta(days=DUPLICATE_DAYS)
    return (
        Case.objects.filter(pk__in=matching, dispute_type_id=case.dispute_type_id, received_at__gte=since)
        .exclude(pk=case.pk).exclude(status=Status.MERGED).order_by("-received_at")
    )


def get_visible_duplicate(case: Case, user) -> Case | None:
    """The case this one was flagged as a likely duplicate of, when `user` may see it; a case out of
    their sight is not named (its number would say a dispute with these parties exists there)."""
    duplicate = case.possible_duplicate
    return duplicate if duplicate is not None and user_can_reach(user, "case.view", duplicate) else None


@transaction.atomic
def do_record_visit(case: Case, *, by, note: str = "", version=None) -> Case:
    """A citizen came in person for this case (最多跑一地: the target is at most one trip)."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_visit")
    case.visits += 1
    _save(case, ["visits"])
    _event(case, by, EventKind.VISIT, permission=permission, reason=note, visits=case.visits)
    return case


@transaction.atomic
def do_withdraw(case: Case, *, by, reason: str, version=None) -> Case:
    """The applicant withdraws (mediation is voluntary, art. 17)."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "withdraw")
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Record why the case was withdrawn.")})
    previous = _move(case, Status.WITHDRAWN)
    case.outcome_note = reason.strip()
    _close(case, Outcome.WITHDRAWN)
    _save(case, ["status", "outcome", "outcome_note", "closed_at"])
    _event(case, by, EventKind.WITHDRAWN, permission=permission, from_status=previous, reason=reason)
    return case


@transaction.atomic
def store_attachment(case: Case, *, by, file, name: str = "", field: str = "file",
                     kinds=None, refusal=None) -> Attachment:
    """Keep `file` on the case, inside the caller's action (which checked who may): its content must be
    one of `kinds` (core.uploads.DOCUMENTS unless given), else CaseInputError on `field`."""
    import os
    import uuid

    original = os.path.basename(name or getattr(file, "name", "") or "")
    if file is None or not original:
        raise CaseInputError({field: _("Choose a file.")})
    kind = uploads.check_upload(file, kinds=kinds or uploads.DOCUMENTS, name=original, field=field,
                                refusal=refusal or _("Attach a PDF, an image, a Word or Excel document or a text file."))
    attachment = Attachment(case=case, name=original[:200], content_type=kind.content_type,
                            size=file.size, uploaded_at=timezone.now(), uploaded_by=by)
    # A random stored name: the original is kept for display, never used as a path.
    attachment.file.save(f"{uuid.uuid4().hex}{kind.extension}", file, save=False)
    attachment.save()
    return attachment


def do_add_attachment(case: Case, *, by, file, name: str = "", version=None) -> Attachment:
    """Keep a file on the case (evidence, ID copies, a signed agreement), if its content is one of the
    kinds core.uploads.DOCUMENTS. Stored under MEDIA_ROOT, which the web server does not serve; files are
    read back only through scoped views."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "add_attachment")
    attachment = store_attachment(case, by=by, file=file, name=name)
    _save(case, [])
    _event(case, by, EventKind.ATTACHMENT_ADDED, permission=permission, attachment=attachment.pk, name=attachment.name)
    return attachment
