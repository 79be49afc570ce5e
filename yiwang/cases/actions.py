"""Everything that changes a case. Pages and the API call these functions and nothing else.

Models (models.py)
    Case            number (for life), channel, dispute_type, area (where it arose: the scope column),
                    centre (responsible now), registered_centre, tier, window, team, mediators (through
                    Assignment), status (Status, table TRANSITIONS), outcome (Outcome), facts, claims, amount,
                    people_involved, vessel_name/vessel_number/sea_area (maritime), received_at, deadline
                    (date, Chinese working days), mediation_deadline, extensions, owner (user responsible),
                    lead_leader (包案, district tier), visits (最多跑一地), supervisions, satisfaction,
                    not_accepted_redirect, routes_told, possible_duplicate, merged_into, closed_at, version.
                    `Case.objects.visible_to(user, "case.view")`, `.open()`, `.overdue()`, `.search(q)`;
                    `case.is_open`, `case.can_move_to(status)`, `case.invariant_errors()`.
    Party           case, role (applicant/respondent), kind (person/organisation), name, id_number, phone,
                    address, credit_code, representative.
    CaseEvent       the timeline: case, kind, at, actor, from_status, to_status, reason, detail.
    Assignment      case, mediator, assigned_at, recused_at, recusal_reason.
    MediationSession (调解笔录), Agreement (art. 29 fields + judicial confirmation + performance),
    Referral (kind, body, external_number), FollowUp (satisfaction 1–5), Attachment, CaseCounter (holidays: core.models).

Errors
    CaseActionError (a ValidationError): refused; `str(e.message)` / `e.messages` is the translated reason.
        PermissionRefused  the user may not take this action here (API: 403)
        StaleCase          someone else changed the case since it was read (API: 409)
        IllegalTransition  not possible in the case's current state (API: 409)
    CaseInputError (a CaseActionError with `message_dict`, field → messages): bad input (API: 400).

Actions (keyword arguments after the case; every one takes `by=` (the user) and `version=` (the
version the caller read; defaults to `case.version`); each returns the fresh Case unless noted)
    do_register_case(by=, channel=, dispute_type=code|obj, area=code|obj, facts=, claims=, applicants=[{…}],
        respondents=[{…}], amount=None, people_involved=1, vessel_name="", vessel_number="", sea_area="",
        window=None, tier=None, lead_leader=None, received_at=None, idempotency_key="")  → Case with
        `.just_created`; a party is {"kind": "person"|"organisation", "name", "id_number", "phone",
        "address", "credit_code", "representative"}. Permission case.intake.
    do_record_visit(case, by=, note="")                       case.intake or case.mediate
    do_accept(case, by=, note="")                             case.route      registered → accepted
    do_not_accept(case, by=, reason=, redirect=)              case.route      registered → not_accepted
    do_transfer_window(case, by=, window=, reason=)           case.route
    do_assign(case, by=, mediators=[users], team=None, reason="") case.route  accepted → assigned
    do_recuse(case, by=, mediator=, reason=)                  case.route
    do_escalate(case, by=, reason=, lead_leader=None)         case.route      tier up (上提)
    do_delegate(case, by=, reason=)                           case.route      tier down (下交)
    do_merge_cases(duplicate, into=, by=, reason=)            case.route      duplicate → merged
    do_start_mediation(case, by=)                             case.mediate*   assigned → mediating
    do_record_session(case, by=, record=, held_at=None, place="", online=False, participants="") → session
    do_extend(case, by=, days=, consent=, reason=)            case.mediate*   (parties' consent)
    do_record_agreement(case, by=, facts=, matters_in_dispute=, responsibilities=, content=,
        performance_manner=, performance_place=, performance_deadline=, signed_on=, effective_on=,
        oral=False)                                           case.mediate*   mediating → agreed
    do_apply_confirmation(case, by=, applied_on=None, court=None) case.mediate/court agreed → confirmation_pending
    do_record_confirmation(case, by=, accepted=, decided_on=None, court_case_number="", note="")
                                                              case.court      → confirmed / confirmation_rejected
    do_record_performance(case, by=, note="", completed=False)   case.mediate   → performing
    do_terminate(case, by=, reason=, routes_told=)            case.mediate*   mediating → terminated
    do_record_refusal(case, by=, party=, reason=, routes_told=)
                                                              case.intake/route/mediate/supervise (also the
        online intake identity): a party refuses mediation (art. 17) → registered: not_accepted (closed,
        routes as the redirect); accepted/assigned/mediating: terminated (routes told, art. 26)
    do_record_party_acceptance(case, by=, party=, channel="online")  the respondent accepted mediation
        themselves (their link); recorded by the 解纷码 identity (case.intake) or staff
    do_record_party_rating(case, by=, party=, satisfaction=1..5, note="", method="online") → FollowUp
        a party rated the service themselves once mediation is over (RATABLE_STATUSES); as above
    do_refer(case, by=, kind=, body=, note="")                case.refer      terminated → referred
    do_record_referral_result(case, by=, external_number=, note="")  case.refer or case.court
    do_withdraw(case, by=, reason=)                           case.intake or case.mediate → withdrawn
    do_follow_up(case, by=, satisfaction=1..5, note="", method="phone")  case.mediate or case.supervise
    do_archive(case, by=, note="")                            case.supervise  followed_up → archived
    do_supervise(case, by=, note=)                            case.supervise  open and overdue (督办)
    do_add_attachment(case, by=, file=, name="") → Attachment case.intake or case.mediate
    (* a mediator must be assigned to the case; centre staff with case.supervise may act instead)
    Every action code above is checked on the case itself, not only its area: check_case_party says
    whose case each code reaches (a bank's or court's own cases, a centre's own intake, the case's
    assigned mediators).
Readers
    get_available_actions(case, user) → names above (without "do_") this user may take now
        (never "add_attachment": see can_add_attachment(case, user))
    get_timeline(case) → CaseEvents of the case and of cases merged into it
    get_possible_duplicates(case) → other cases with the same party ID/phone and type in DUPLICATE_DAYS
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.areas.models import (
    Area,
    Centre,
    DisputeType,
    Organisation,
    OrganisationKind,
    Team,
    TeamKind,
    Window,
    WindowKind,
)
from yiwang.audit.actions import record
from yiwang.cases import validators
from yiwang.cases.models import (
    OPEN_STATUSES,
    ROUTABLE_STATUSES,
    TIER_ORDER,
    Agreement,
    Assignment,
    Attachment,
    Case,
    CaseEvent,
    Channel,
    EventKind,
    FollowUp,
    MediationSession,
    Outcome,
    Party,
    PartyKind,
    PartyRole,
    PartyStep,
    Referral,
    ReferralKind,
    Status,
    Tier,
    organisation_case_q,
)
from yiwang.cases.numbering import take_number
from yiwang.core import errors, hooks, uploads
from yiwang.core.calendar import add_days_rolled, add_working_days
from yiwang.core.codes import CODE_LENGTH, Level, ancestor_codes
from yiwang.core.scope import get_grants, get_users_who_can, user_can, user_can_reach

# Deadlines (working days unless the name says calendar days, which roll past holidays).
ACCEPT_WORKDAYS = 3  # decide whether to accept
ASSIGN_WORKDAYS = 2  # name mediators
START_WORKDAYS = 3  # first session
MEDIATION_DAYS = 30  # people's mediation and court-delegated mediation: 30 days, extendable by consent
MAX_EXTENSION_DAYS = 30
CONFIRMATION_WINDOW_DAYS = 30  # art. 33: apply for judicial confirmation within 30 days of effect
COURT_RULING_DAYS = 15
NEXT_STEP_WORKDAYS = 5  # after termination, confirmation decisions: refer or follow up
REFERRAL_FOLLOW_UP_DAYS = 30
ARCHIVE_WORKDAYS = 10
DUPLICATE_DAYS = 90
# Tier rules: what makes a case complex (town) or hard (district).
TOWN_AMOUNT = Decimal("50000")
DISTRICT_AMOUNT = Decimal("1000000")
TOWN_PEOPLE = 3
DISTRICT_PEOPLE = 10  # 群体性纠纷


# The refusals are core's (yiwang.core.errors), under the names this module has always used.
CaseActionError = errors.ActionRefused
PermissionRefused = errors.PermissionRefused
IllegalTransition = errors.IllegalTransition
CaseInputError = errors.InputError


class StaleCase(errors.StaleVersion):
    """Someone else changed the case since the user read it."""


# ----------------------------------------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def check_case_party(case: Case, by, action: str) -> bool:
    """Whether one of `by`'s grants carrying `action` reaches this case for that action: whose case it is.

    - Every grant: its area covers the case's.
    - A grant limited to an organisation (a bank's operator, a court's liaison) reaches only that
      organisation's own cases (models.organisation_case_q); its intake-side steps (case.intake: withdraw,
      record a visit or a refusal, attach files, re-send a party's link) only the cases it submitted itself.
    - Intake-side steps under a grant for a centre: only cases registered by that centre or a centre below
      it, or now the responsibility of one of those (after 上提/下交). A centre answers for what it took in;
      the centre of the area above (town over village, district over all) supervises those below and
      may step in, but a sibling centre's clerk may not withdraw another centre's case.
    - Mediator steps (case.mediate): only a mediator assigned to the case and not recused. Centre staff
      holding case.supervise act instead (get_mediator_permission).
    - Routing, supervision, referral (case.route, case.supervise, case.refer) are the centres' own work
      along their hierarchy: the area decides, as it always has."""
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    if action == "case.mediate" and not by.is_superuser and not _is_active_mediator(case, by):
        return False
    if by.is_superuser:
        return True
    for grant in get_grants(by):
        if action not in grant.role.actions or not case.area_id.startswith(grant.area_id):
            continue
        if grant.organisation_id:
            if action == "case.intake":
                if case.submitted_by_organisation_id == grant.organisation_id:
                    return True
            elif Case.objects.filter(organisation_case_q(grant.organisation_id), pk=case.pk).exists():
                return True
        elif action == "case.intake" and grant.centre_id:
            prefix = grant.centre.area_id
            if any(code.startswith(prefix) for code in Centre.objects.filter(
                    pk__in=[case.registered_centre_id, case.centre_id]).values_list("area_id", flat=True)):
                return True
        else:
            return True
    return False


def _require(by, actions: str | tuple[str, ...], case: Case) -> str:
    """The first of `actions` the user may take on this case (check_case_party), or PermissionRefused."""
    for action in (actions,) if isinstance(actions, str) else actions:
        if check_case_party(case, by, action):
            return action
    raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})


def get_mediator_permission(user, case: Case) -> str | None:
    """The action code under which `user` acts as the case's mediator: centre staff who supervise the
    area, or an assigned (not recused) mediator; None for anyone else."""
    for action in ("case.supervise", "case.mediate"):
        if check_case_party(case, user, action):
            return action
    return None


def _require_mediator(by, case: Case) -> str:
    """An assigned (not recused) mediator, or centre staff who supervise the area."""
    permission = get_mediator_permission(by, case)
    if permission is not None:
        return permission
    raise PermissionRefused(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})


def _lock(case: Case, by, version: int | None) -> Case:
    """The case row, locked for this transaction, checked against the version the caller read."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    try:
        locked = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist:
        raise PermissionRefused(_("This case does not exist.")) from None
    if not user_can_reach(by, "case.view", locked):
        raise PermissionRefused(_("This case does not exist."))
    expected = case.version if version is None else int(version)
    if locked.version != expected:
        raise StaleCase(
            _("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
            % {"number": locked.number}
        )
    return locked


def _check_state(case: Case, allowed) -> None:
    if case.status not in allowed:
        raise IllegalTransition(
            _("This is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )


def _save(case: Case, fields: set[str] | list[str]) -> None:
    """Write `fields` and bump the version, only if nobody else has written since we read it."""
    old = case.version
    case.version = old + 1
    case.updated_at = timezone.now()
    errors = case.invariant_errors()
    if errors:  # a programming error, never a user's: fail loudly and roll back
        raise AssertionError(f"case {case.number}: {'; '.join(errors)}")
    values = {}
    for name in {*fields, "version", "updated_at"}:
        field = Case._meta.get_field(name)
        values[field.attname] = getattr(case, field.attname)
    if Case.objects.filter(pk=case.pk, version=old).update(**values) != 1:
        raise StaleCase(_("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
                        % {"number": case.number})


def _event(case: Case, by, kind: EventKind, *, permission: str, from_status: str = "", reason: str = "",
           actor_name: str = "", **detail) -> CaseEvent:
    """One timeline line and one audit event; `permission` is the action code the user acted under,
    `actor_name` who the line names when not the user (a party acting through their link)."""
    kind = EventKind(kind)
    to_status = case.status if from_status and from_status != case.status else ""
    event = CaseEvent.objects.create(
        case=case, kind=kind, at=timezone.now(), actor=by, actor_name=actor_name or str(by),
        from_status=from_status if to_status else "", to_status=to_status, reason=reason,
        detail={"permission": permission, **detail},
    )
    record(by, f"cases.{kind.value}", case, reason=reason, from_status=event.from_status, to_status=to_status,
           **{k: v for k, v in detail.items() if isinstance(v, (str, int, bool, type(None)))})
    # Re-check scope after the write, inside the transaction: nobody moves a case out of their sight.
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})
    # What the apps built on cases do about it (statistics, grid problems, party links), in this transaction.
    hooks.case_changed.call(case, event)
    return event


def _move(case: Case, to: str) -> str:
    """Change the status along the state machine; returns the previous one."""
    if not case.can_move_to(to):
        raise IllegalTransition(
            _("This is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )
    previous = case.status
    case.status = to
    return previous


def _close(case: Case, outcome: str) -> None:
    case.outcome = outcome
    case.closed_at = timezone.now()


def _required_text(errors: dict, field: str, value, label_message: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        errors[field] = [label_message]
    return value


def _as_date(value, field: str, errors: dict) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors[field] = [_("Enter a valid date.")]
    return None


# ----------------------------------------------------------------------------------------------- routing


def get_tier_for(dispute_type: DisputeType, *, amount=None, people_involved: int = 1, channel: str = "") -> str:
    """Simple cases stay in the village, complex ones go to the town, hard ones to the district."""
    amount = amount or Decimal(0)
    if (dispute_type.maritime or channel == Channel.COURT_DELEGATION or people_involved >= DISTRICT_PEOPLE
            or amount >= DISTRICT_AMOUNT):
        return Tier.DISTRICT
    if dispute_type.litigation_bound or people_involved >= TOWN_PEOPLE or amount >= TOWN_AMOUNT:
        return Tier.TOWN
    return Tier.VILLAGE


_AREA_LENGTH_OF_TIER = {Tier.VILLAGE: CODE_LENGTH[Level.VILLAGE], Tier.TOWN: CODE_LENGTH[Level.TOWNSHIP],
                        Tier.DISTRICT: CODE_LENGTH[Level.COUNTY]}


def get_centre_for(area_code: str, tier: str) -> Centre | None:
    """The active centre of `tier` serving `area_code`, or the nearest one above it."""
    for level in TIER_ORDER[TIER_ORDER.index(tier):]:
        length = _AREA_LENGTH_OF_TIER[level]
        if len(area_code) < length:
            continue
        centre = Centre.objects.filter(level=level, area_id=area_code[:length], active=True).order_by("id").first()
        if centre is not None:
            return centre
    return None


def get_window_for(centre: Centre, dispute_type: DisputeType) -> Window | None:
    """The specialised window at `centre` that takes the type, else its first comprehensive window."""
    windows = Window.objects.filter(centre=centre, active=True)
    return (
        windows.filter(kind=WindowKind.SPECIALISED, dispute_types=dispute_type).order_by("number").first()
        or windows.filter(kind=WindowKind.COMPREHENSIVE).order_by("number").first()
    )


def get_team_for(area_code: str, dispute_type: DisputeType) -> Team | None:
    """Maritime and fishery disputes go to the maritime team serving the area."""
    if not dispute_type.maritime:
        return None
    return (
        Team.objects.filter(kind=TeamKind.MARITIME, active=True, area_id__in=ancestor_codes(area_code), dispute_types=dispute_type)
        .order_by("-area_id", "id").first()
    )


def _intake_organisation(by, area_code: str) -> Organisation | None:
    """The organisation (a bank) a user registers for, when every intake grant of theirs covering the
    area is limited to one: the case is then that organisation's submission, and its own."""
    covering = [g for g in get_grants(by) if "case.intake" in g.role.actions and area_code.startswith(g.area_id)]
    if not covering or any(g.organisation_id is None for g in covering):
        return None
    return covering[0].organisation


def _intake_centre(by, area_code: str) -> Centre | None:
    """The centre the registering user works for, when their grant names one and covers the area."""
    for grant in get_grants(by):
        if grant.centre_id and "case.intake" in grant.role.actions and area_code.startswith(grant.area_id):
            return grant.centre
    return None


# ----------------------------------------------------------------------------------------------- intake


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
    idempotency_key: str = "", submitted_by_organisation=None,
) -> Case:
    """Register a dispute from any channel: validate everything, number it, route it (tier, centre,
    window, maritime team), give it an owner and a deadline, flag a likely duplicate. With an
    `idempotency_key`, a repeat by the same user returns the first case and creates nothing.

    The case is a bank's or a court's own (its operator and liaison see it) when registered under a grant
    limited to that organisation, or when a centre registering it names `submitted_by_organisation` (an
    Organisation or its id: a bank, or the court delegating it)."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    idempotency_key = (idempotency_key or "").strip()[:100]
    if idempotency_key:
        existing = Case.objects.filter(created_by=by, idempotency_key=idempotency_key).first()
        if existing is not None:
            existing.just_created = False
            return existing

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

    if not user_can(by, "case.intake", area.code):
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
            Party.objects.bulk_create([Party(case=case, **vars(p)) for p in parties])
            duplicate = get_possible_duplicates(case).first()
            if duplicate is not None:
                case.possible_duplicate = duplicate
                case.save(update_fields=["possible_duplicate"])
            _event(
                case, by, EventKind.REGISTERED, permission="case.intake", channel=channel, tier=case.tier,
                centre=centre.name, window=str(routed_window or ""), handed_from=handed_from,
                possible_duplicate=duplicate.number if duplicate else "",
            )
    except IntegrityError:
        # The same idempotency key arrived twice at once: the first one won, and this returns its case.
        existing = Case.objects.filter(created_by=by, idempotency_key=idempotency_key).first() if \
            idempotency_key else None
        if existing is None:
            raise
        existing.just_created = False
        return existing
    case.just_created = True
    return case


def get_possible_duplicates(case: Case):
    """Other live cases of the same type, received within DUPLICATE_DAYS, sharing a party's ID number
    or mobile number: most likely the same dispute arriving through another channel."""
    ids = [v for v in case.parties.values_list("id_number", flat=True) if v]
    phones = [v for v in case.parties.values_list("phone", flat=True) if v]
    if not ids and not phones:
        return Case.objects.none()
    matching = Party.objects.filter(Q(id_number__in=ids) | Q(phone__in=phones)).values("case_id")
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
    permission = _require(by, ("case.intake", "case.mediate"), case)
    _check_state(case, OPEN_STATUSES)
    case.visits += 1
    _save(case, ["visits"])
    _event(case, by, EventKind.VISIT, permission=permission, reason=note, visits=case.visits)
    return case


# ----------------------------------------------------------------------------------------------- acceptance


@transaction.atomic
def do_accept(case: Case, *, by, note: str = "", version=None) -> Case:
    """Accept the case (受理): mediators are to be named within ASSIGN_WORKDAYS."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)  # the centre decides, not a partner who registers
    previous = _move(case, Status.ACCEPTED)
    case.owner = by
    case.deadline = add_working_days(_today(), ASSIGN_WORKDAYS)
    _save(case, ["status", "owner", "deadline"])
    _event(case, by, EventKind.ACCEPTED, permission=permission, from_status=previous, reason=note)
    return case


@transaction.atomic
def do_not_accept(case: Case, *, by, reason: str, redirect: str, version=None) -> Case:
    """Decline the case, saying why and where the applicant should go instead (告知)."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    errors: dict = {}
    reason = _required_text(errors, "reason", reason, _("Say why the case is not accepted."))
    redirect = _required_text(errors, "redirect", redirect, _("Tell the applicant where to go instead."))
    if errors:
        raise CaseInputError(errors)
    previous = _move(case, Status.NOT_ACCEPTED)
    case.not_accepted_redirect = redirect[:200]
    case.outcome_note = reason
    _close(case, Outcome.NOT_ACCEPTED)
    _save(case, ["status", "not_accepted_redirect", "outcome", "outcome_note", "closed_at"])
    _event(case, by, EventKind.NOT_ACCEPTED, permission=permission, from_status=previous, reason=reason, redirect=redirect)
    return case


# ----------------------------------------------------------------------------------------------- routing


@transaction.atomic
def do_transfer_window(case: Case, *, by, window: Window, reason: str = "", version=None) -> Case:
    """Hand the case to another window of its centre (e.g. comprehensive → specialised)."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    _check_state(case, ROUTABLE_STATUSES)
    if window is None or window.centre_id != case.centre_id or not window.active:
        raise CaseInputError({"window": _("Choose an open window of the centre responsible for the case.")})
    previous_window = str(case.window or "")
    case.window = window
    _save(case, ["window"])
    _event(case, by, EventKind.WINDOW_TRANSFERRED, permission=permission, reason=reason,
           from_window=previous_window, to_window=str(window))
    return case


@transaction.atomic
def do_assign(case: Case, *, by, mediators, team: Team | None = None, reason: str = "", version=None) -> Case:
    """Name the mediators (and optionally the team). A recused mediator cannot be named again."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    _check_state(case, {Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})
    mediators = list(mediators or [])
    if not mediators:
        raise CaseInputError({"mediators": _("Name at least one mediator.")})
    recused = set(case.assignments.filter(recused_at__isnull=False).values_list("mediator_id", flat=True))
    for mediator in mediators:
        if mediator.pk in recused:
            raise CaseInputError({"mediators": _("%(name)s has recused themselves from this case.")
                                  % {"name": mediator}})
        if not mediator.is_active or not user_can(mediator, "case.mediate", case.area_id):
            raise CaseInputError({"mediators": _("%(name)s cannot mediate cases in this area.") % {"name": mediator}})
    if team is not None and not case.area_id.startswith(team.area_id):
        raise CaseInputError({"team": _("This team does not serve the area of the case.")})
    now = timezone.now()
    for mediator in mediators:
        Assignment.objects.get_or_create(
            case=case, mediator=mediator, defaults={"assigned_by": by, "assigned_at": now}
        )
    previous = case.status
    fields = ["owner"]
    if team is not None:
        case.team = team
        fields.append("team")
    case.owner = mediators[0]
    if case.status == Status.ACCEPTED:
        _move(case, Status.ASSIGNED)
        case.deadline = add_working_days(_today(), START_WORKDAYS)
        fields += ["status", "deadline"]
    _save(case, fields)
    _event(case, by, EventKind.ASSIGNED, permission=permission, from_status=previous, reason=reason,
           mediators=[str(m) for m in mediators], team=str(case.team or ""))
    return case


@transaction.atomic
def do_recuse(case: Case, *, by, mediator, reason: str, version=None) -> Case:
    """Take a mediator off the case (回避), with the reason; the row stays for the record."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    _check_state(case, {Status.ASSIGNED, Status.MEDIATING})
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for the recusal.")})
    assignment = case.assignments.filter(mediator=mediator, recused_at__isnull=True).first()
    if assignment is None:
        raise CaseInputError({"mediator": _("This person is not a mediator on the case.")})
    assignment.recused_at = timezone.now()
    assignment.recusal_reason = reason.strip()[:200]
    assignment.save(update_fields=["recused_at", "recusal_reason"])
    remaining = case.assignments.filter(recused_at__isnull=True).select_related("mediator").first()
    case.owner = remaining.mediator if remaining else by
    _save(case, ["owner"])
    _event(case, by, EventKind.RECUSED, permission=permission, reason=reason, mediator=str(mediator))
    return case


def _reroute(case: Case, centre: Centre) -> None:
    case.centre = centre
    case.tier = centre.level
    window = get_window_for(centre, case.dispute_type)
    case.window = window


# Who may take charge of a case sent up to the district (包案): a leader, i.e. whoever reads the area's
# statistics, with a grant covering the case's area.
LEAD_LEADER_ACTION = "stats.view"


def _check_lead_leader(leader, area_code: str) -> None:
    if not get_users_who_can(LEAD_LEADER_ACTION, area_code).filter(pk=leader.pk).exists():
        raise CaseInputError({"lead_leader": _("Choose a leader whose grant covers the case's area.")})


@transaction.atomic
def do_escalate(case: Case, *, by, reason: str, lead_leader=None, version=None) -> Case:
    """Move the case up a tier (上提), keeping number and history. At the district a leader takes
    personal charge (包案)."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    _check_state(case, ROUTABLE_STATUSES)
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for escalating the case.")})
    if case.tier == Tier.DISTRICT:
        raise IllegalTransition(_("The case is already at the district centre."))
    target = get_centre_for(case.area_id, TIER_ORDER[TIER_ORDER.index(case.tier) + 1])
    if target is None or target.pk == case.centre_id:
        raise IllegalTransition(_("No centre above serves this area."))
    if target.level == Tier.DISTRICT:
        if lead_leader is None:
            raise CaseInputError({"lead_leader": _("Name the leader who takes charge of the case (包案).")})
        _check_lead_leader(lead_leader, case.area_id)
        case.lead_leader = lead_leader
    from_centre = case.centre.name
    _reroute(case, target)
    case.owner = lead_leader or by
    _save(case, ["centre", "tier", "window", "owner", "lead_leader"])
    _event(case, by, EventKind.ESCALATED, permission=permission, reason=reason, from_centre=from_centre,
           to_centre=target.name, lead_leader=str(lead_leader or ""))
    return case


@transaction.atomic
def do_delegate(case: Case, *, by, reason: str, version=None) -> Case:
    """Move the case down a tier (下交), keeping number and history."""
    case = _lock(case, by, version)
    permission = _require(by, "case.route", case)
    _check_state(case, ROUTABLE_STATUSES)
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for delegating the case.")})
    target = None
    for level in reversed(TIER_ORDER[:TIER_ORDER.index(case.tier)]):
        length = _AREA_LENGTH_OF_TIER[level]
        if len(case.area_id) >= length:
            target = Centre.objects.filter(level=level, area_id=case.area_id[:length], active=True).first()
        if target is not None:
            break
    if target is None:
        raise IllegalTransition(_("No centre below serves this area."))
    from_centre = case.centre.name
    _reroute(case, target)
    case.lead_leader = None
    case.owner = by
    _save(case, ["centre", "tier", "window", "owner", "lead_leader"])
    _event(case, by, EventKind.DELEGATED, permission=permission, reason=reason, from_centre=from_centre,
           to_centre=target.name)
    return case


@transaction.atomic
def do_merge_cases(duplicate: Case, *, into: Case, by, reason: str, version=None) -> Case:
    """Merge a duplicate into the case that goes on. Both timelines stay; the target gains the parties
    it lacked and the duplicate's trips. Returns the target."""
    if duplicate.pk == into.pk:
        raise CaseInputError({"into": _("A case cannot be merged into itself.")})
    # Lock in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([duplicate, into], key=lambda c: c.pk)
    locked = {c.pk: _lock(c, by, version if c.pk == duplicate.pk else None) for c in (first, second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    permission = _require(by, "case.route", duplicate)
    _require(by, "case.route", into)
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for merging.")})
    _check_state(duplicate, ROUTABLE_STATUSES)
    if not into.is_open:
        raise IllegalTransition(_("A case can only be merged into an open case."))
    known = {(p.name, p.id_number, p.phone) for p in into.parties.all()}
    Party.objects.bulk_create([
        Party(case=into, **{k: v for k, v in p.snapshot().items()})
        for p in duplicate.parties.all() if (p.name, p.id_number, p.phone) not in known
    ])
    previous = _move(duplicate, Status.MERGED)
    duplicate.merged_into = into
    duplicate.outcome_note = reason
    _close(duplicate, Outcome.MERGED)
    _save(duplicate, ["status", "merged_into", "outcome", "outcome_note", "closed_at"])
    into.visits += duplicate.visits
    if into.possible_duplicate_id == duplicate.pk:
        into.possible_duplicate = None
    _save(into, ["visits", "possible_duplicate"])
    _event(duplicate, by, EventKind.MERGED, permission=permission, from_status=previous, reason=reason, into=into.number)
    _event(into, by, EventKind.MERGED_IN, permission=permission, reason=reason, duplicate=duplicate.number)
    return into


# ----------------------------------------------------------------------------------------------- mediation


@transaction.atomic
def do_start_mediation(case: Case, *, by, version=None) -> Case:
    """Open mediation: 30 days (rolled past holidays), extendable with the parties' consent."""
    case = _lock(case, by, version)
    permission = _require_mediator(by, case)
    previous = _move(case, Status.MEDIATING)
    case.mediation_deadline = add_days_rolled(_today(), MEDIATION_DAYS)
    case.deadline = case.mediation_deadline
    _save(case, ["status", "mediation_deadline", "deadline"])
    _event(case, by, EventKind.MEDIATION_STARTED, permission=permission, from_status=previous,
           mediation_deadline=case.mediation_deadline.isoformat())
    return case


@transaction.atomic
def do_record_session(case: Case, *, by, record: str, held_at=None, place: str = "", online: bool = False,
                      participants: str = "", version=None) -> MediationSession:
    """Record a mediation session (调解笔录)."""
    case = _lock(case, by, version)
    permission = _require_mediator(by, case)
    _check_state(case, {Status.MEDIATING})
    if not (record or "").strip():
        raise CaseInputError({"record": _("Write the record of the session.")})
    held_at = held_at or timezone.now()
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise CaseInputError({"held_at": _("A session cannot be recorded before it is held.")})
    session = MediationSession.objects.create(
        case=case, held_at=held_at, place=(place or "")[:200], online=bool(online),
        participants=participants or "", record=record.strip(), recorded_by=by,
    )
    _save(case, [])
    _event(case, by, EventKind.SESSION_RECORDED, permission=permission, session=session.pk, online=bool(online))
    return session


@transaction.atomic
def do_extend(case: Case, *, by, days: int, consent: bool, reason: str = "", version=None) -> Case:
    """Extend mediation with the parties' consent."""
    case = _lock(case, by, version)
    permission = _require_mediator(by, case)
    _check_state(case, {Status.MEDIATING})
    errors = {}
    if not consent:
        errors["consent"] = [_("Mediation can only be extended with the consent of the parties.")]
    try:
        days = int(days)
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = [_("Extend by 1 to %(max)s days.") % {"max": MAX_EXTENSION_DAYS}]
    if errors:
        raise CaseInputError(errors)
    previous_deadline = case.mediation_deadline
    case.mediation_deadline = add_days_rolled(max(previous_deadline or _today(), _today()), days)
    case.deadline = case.mediation_deadline
    case.extensions += 1
    _save(case, ["mediation_deadline", "deadline", "extensions"])
    _event(case, by, EventKind.EXTENDED, permission=permission, reason=reason, days=days,
           previous_deadline=previous_deadline.isoformat() if previous_deadline else "",
           mediation_deadline=case.mediation_deadline.isoformat())
    return case


AGREEMENT_TEXT_FIELDS = {
    "facts": gettext_lazy("Set out the main facts."),
    "matters_in_dispute": gettext_lazy("Set out the matters in dispute."),
    "responsibilities": gettext_lazy("Set out each party's responsibility."),
    "content": gettext_lazy("Set out what the parties agreed."),
    "performance_manner": gettext_lazy("Say how the agreement will be performed."),
    "performance_place": gettext_lazy("Say where the agreement will be performed."),
}


@transaction.atomic
def do_record_agreement(case: Case, *, by, facts: str, matters_in_dispute: str, responsibilities: str,
                        content: str, performance_manner: str, performance_place: str, performance_deadline,
                        signed_on=None, effective_on=None, oral: bool = False, version=None) -> Case:
    """Record the mediation agreement with every element of People's Mediation Law art. 29. The parties'
    basic information is copied from the case as it stands."""
    case = _lock(case, by, version)
    permission = _require_mediator(by, case)
    _check_state(case, {Status.MEDIATING})
    errors: dict = {}
    values = {"facts": facts, "matters_in_dispute": matters_in_dispute, "responsibilities": responsibilities,
              "content": content, "performance_manner": performance_manner, "performance_place": performance_place}
    for field, message in AGREEMENT_TEXT_FIELDS.items():
        values[field] = _required_text(errors, field, values[field], str(message))
    for field in ("performance_manner", "performance_place"):
        if isinstance(values[field], str) and len(values[field]) > 200:
            errors[field] = [_("At most 200 characters.")]
    today = _today()
    signed_on = _as_date(signed_on or today, "signed_on", errors)
    effective_on = _as_date(effective_on or signed_on or today, "effective_on", errors)
    deadline = _as_date(performance_deadline, "performance_deadline", errors) if performance_deadline else None
    if not performance_deadline:
        errors["performance_deadline"] = [_("Give the deadline of performance.")]
    if signed_on and signed_on > today:
        errors["signed_on"] = [_("An agreement cannot be signed in the future.")]
    if signed_on and effective_on and not signed_on <= effective_on <= today:
        errors["effective_on"] = [_("An agreement takes effect once signed, and not in the future.")]
    if deadline and signed_on and deadline < signed_on:
        errors["performance_deadline"] = [_("Performance cannot be due before the agreement is signed.")]
    parties = [p.snapshot() for p in case.parties.all()]
    if not parties:
        errors["parties"] = [_("The case has no parties to sign an agreement.")]
    if errors:
        raise CaseInputError(errors)
    Agreement.objects.create(
        case=case, parties_snapshot=parties, performance_deadline=deadline, signed_on=signed_on,
        effective_on=effective_on, oral=bool(oral), mediator=by, **values,
    )
    previous = _move(case, Status.AGREED)
    case.outcome = Outcome.AGREEMENT
    case.deadline = add_days_rolled(effective_on, CONFIRMATION_WINDOW_DAYS)
    case.owner = by
    _save(case, ["status", "outcome", "deadline", "owner"])
    _event(case, by, EventKind.AGREEMENT_RECORDED, permission=permission, from_status=previous)
    return case


def get_courts_for(case: Case):
    """The active courts whose area covers the case's: where its judicial confirmation may be applied for."""
    return Organisation.objects.filter(kind=OrganisationKind.COURT, active=True, area_id__in=ancestor_codes(case.area_id))


def _court_for(case: Case) -> Organisation | None:
    """The nearest of them (the case's own level first)."""
    return get_courts_for(case).order_by("-area_id", "id").first()


@transaction.atomic
def do_apply_confirmation(case: Case, *, by, applied_on=None, court: Organisation | None = None,
                          version=None) -> Case:
    """The parties applied to the court for judicial confirmation (within 30 days of effect, art. 33)."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.mediate", "case.court"), case)
    _check_state(case, {Status.AGREED})
    agreement = case.agreement
    errors: dict = {}
    applied_on = _as_date(applied_on or _today(), "applied_on", errors)
    if applied_on and not agreement.effective_on <= applied_on <= min(
        _today(), agreement.effective_on + dt.timedelta(days=CONFIRMATION_WINDOW_DAYS)
    ):
        errors["applied_on"] = [_("Judicial confirmation must be applied for within 30 days of the agreement "
                                  "taking effect.")]
    court = court or _court_for(case)
    if court is None or not get_courts_for(case).filter(pk=court.pk).exists():
        errors["court"] = [_("Choose the court.")]
    if errors:
        raise CaseInputError(errors)
    agreement.confirmation_applied_on = applied_on
    agreement.confirmation_court = court
    agreement.save(update_fields=["confirmation_applied_on", "confirmation_court"])
    previous = _move(case, Status.CONFIRMATION_PENDING)
    case.deadline = add_days_rolled(applied_on, COURT_RULING_DAYS)
    _save(case, ["status", "deadline"])
    _event(case, by, EventKind.CONFIRMATION_APPLIED, permission=permission, from_status=previous, court=court.name)
    return case


@transaction.atomic
def do_record_confirmation(case: Case, *, by, accepted: bool, decided_on=None, court_case_number: str = "",
                           note: str = "", version=None) -> Case:
    """The court's answer to the application for judicial confirmation."""
    case = _lock(case, by, version)
    permission = _require(by, "case.court", case)
    _check_state(case, {Status.CONFIRMATION_PENDING})
    errors: dict = {}
    decided_on = _as_date(decided_on or _today(), "decided_on", errors)
    if accepted and not (court_case_number or "").strip():
        errors["court_case_number"] = [_("Give the court's case number.")]
    if not accepted and not (note or "").strip():
        errors["note"] = [_("Give the court's reason for rejecting confirmation.")]
    if errors:
        raise CaseInputError(errors)
    agreement = case.agreement
    agreement.confirmation_accepted = bool(accepted)
    agreement.confirmation_decided_on = decided_on
    agreement.confirmation_case_number = (court_case_number or "").strip()[:60]
    agreement.confirmation_note = note or ""
    agreement.save(update_fields=["confirmation_accepted", "confirmation_decided_on",
                                  "confirmation_case_number", "confirmation_note"])
    previous = _move(case, Status.CONFIRMED if accepted else Status.CONFIRMATION_REJECTED)
    case.deadline = add_working_days(_today(), NEXT_STEP_WORKDAYS)
    active = case.assignments.filter(recused_at__isnull=True).select_related("mediator").first()
    if active is not None:  # back to the mediator, who sees to performance
        case.owner = active.mediator
    _save(case, ["status", "deadline", "owner"])
    _event(case, by, EventKind.CONFIRMATION_DECIDED, permission=permission, from_status=previous, reason=note,
           accepted=bool(accepted), court_case_number=agreement.confirmation_case_number)
    return case


@transaction.atomic
def do_record_performance(case: Case, *, by, note: str = "", completed: bool = False, version=None) -> Case:
    """The agreement is being performed; `completed` records that it has been performed in full."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.mediate", "case.supervise"), case)
    _check_state(case, {Status.AGREED, Status.CONFIRMED, Status.CONFIRMATION_REJECTED, Status.PERFORMING})
    agreement = case.agreement
    previous = case.status
    fields = []
    if case.status != Status.PERFORMING:
        _move(case, Status.PERFORMING)
        case.deadline = add_days_rolled(max(agreement.performance_deadline, _today()), 0)
        fields += ["status", "deadline"]
    if completed:
        agreement.performed_on = _today()
        case.deadline = add_working_days(_today(), NEXT_STEP_WORKDAYS)  # now: the follow-up visit
        fields.append("deadline")
    agreement.performance_note = "\n".join(filter(None, [agreement.performance_note, note or ""]))
    agreement.save(update_fields=["performed_on", "performance_note"])
    _save(case, fields)
    _event(case, by, EventKind.PERFORMANCE_RECORDED, permission=permission, from_status=previous, reason=note,
           completed=bool(completed))
    return case


@transaction.atomic
def do_terminate(case: Case, *, by, reason: str, routes_told: str, version=None) -> Case:
    """End mediation without agreement (a party refuses, or no agreement is possible) and record that the
    parties were told their court, arbitration and administrative routes (art. 26)."""
    case = _lock(case, by, version)
    permission = _require_mediator(by, case)
    _check_state(case, {Status.MEDIATING})  # a refusal before mediation starts is do_record_refusal
    errors: dict = {}
    reason = _required_text(errors, "reason", reason, _("Say why mediation ended."))
    routes_told = _required_text(errors, "routes_told", routes_told,
                                 _("Record which routes (court, arbitration, administrative) the parties were told."))
    if errors:
        raise CaseInputError(errors)
    previous = _move(case, Status.TERMINATED)
    case.routes_told = routes_told
    case.outcome = Outcome.TERMINATED
    case.outcome_note = reason
    case.deadline = add_working_days(_today(), NEXT_STEP_WORKDAYS)
    _save(case, ["status", "routes_told", "outcome", "outcome_note", "deadline"])
    _event(case, by, EventKind.TERMINATED, permission=permission, from_status=previous, reason=reason)
    return case


REFUSABLE_STATUSES = frozenset({Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})


@transaction.atomic
def do_record_refusal(case: Case, *, by, party: Party, reason: str, routes_told: str, version=None) -> Case:
    """A party refuses mediation (People's Mediation Law art. 17: it is voluntary, and a case one party
    refuses may not be mediated). Mediation ends and the routes that remain are recorded as told (art. 26).

    Where the case stands decides how it ends:
    - registered (the centre has not taken it up): not accepted (不予受理), closed with outcome
      "not accepted", the routes as where to go instead (告知) — nothing was started that must be ended;
    - accepted, assigned or mediating (the centre has taken it on): terminated (终止调解) with the routes
      told; it stays open with its owner and a deadline, so that it can be referred (a court-delegated
      case goes back to the court) or followed up, like any mediation that failed.
    Whoever hears the refusal records it: the centre's 解纷码 identity (the respondent answered online),
    a window clerk, a mediator or centre staff."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.intake", "case.route", "case.mediate", "case.supervise"), case)
    _check_state(case, REFUSABLE_STATUSES)
    errors: dict = {}
    if party is None or party.case_id != case.pk:
        errors["party"] = [_("Choose the party who refused mediation.")]
    reason = _required_text(errors, "reason", reason, _("Say how the party refused mediation."))
    routes_told = _required_text(errors, "routes_told", routes_told,
                                 _("Record which routes (court, arbitration, administrative) the parties were told."))
    if errors:
        raise CaseInputError(errors)
    if case.status == Status.REGISTERED:
        previous = _move(case, Status.NOT_ACCEPTED)
        case.not_accepted_redirect = routes_told[:200]
        case.routes_told = routes_told
        case.outcome_note = reason
        _close(case, Outcome.NOT_ACCEPTED)
        _save(case, ["status", "not_accepted_redirect", "routes_told", "outcome", "outcome_note", "closed_at"])
    else:
        previous = _move(case, Status.TERMINATED)
        case.routes_told = routes_told
        case.outcome = Outcome.TERMINATED
        case.outcome_note = reason
        case.deadline = add_working_days(_today(), NEXT_STEP_WORKDAYS)
        _save(case, ["status", "routes_told", "outcome", "outcome_note", "deadline"])
    _event(case, by, EventKind.MEDIATION_REFUSED, permission=permission, from_status=previous, reason=reason,
           **PartyStep(party_id=party.pk, party_role=party.role, routes_told=routes_told).as_detail())
    return case


@transaction.atomic
def do_record_party_acceptance(case: Case, *, by, party: Party, channel: str = "online", version=None) -> Case:
    """A respondent accepted mediation themselves (through their private link): the timeline says so,
    naming the party. Recorded by whoever relays the answer (the centre's 解纷码 identity online)."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.intake", "case.route", "case.mediate", "case.supervise"), case)
    _check_state(case, REFUSABLE_STATUSES)
    if party is None or party.case_id != case.pk or party.role != PartyRole.RESPONDENT:
        raise CaseInputError({"party": _("Only the respondent answers the invitation to mediate.")})
    _save(case, [])
    _event(case, by, EventKind.RESPONDENT_ACCEPTED, permission=permission, actor_name=party.name,
           **PartyStep(party_id=party.pk, party_role=party.role, channel=channel).as_detail())
    return case


# Mediation is over (agreed, ended, referred, or later): a party may rate the service.
RATABLE_STATUSES = frozenset({
    Status.AGREED, Status.CONFIRMATION_PENDING, Status.CONFIRMED, Status.CONFIRMATION_REJECTED, Status.PERFORMING,
    Status.TERMINATED, Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED,
})


@transaction.atomic
def do_record_party_rating(case: Case, *, by, party: Party, satisfaction: int, note: str = "",
                           method: str = FollowUp.Method.ONLINE, version=None) -> FollowUp:
    """A party rated the service themselves (1–5, once mediation is over): it joins the case's follow-up
    record (FollowUp with no staff member, the party named in its note) and the timeline. Recorded by
    whoever relays it (the centre's 解纷码 identity online). Returns the follow-up."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.intake", "case.mediate", "case.supervise"), case)
    _check_state(case, RATABLE_STATUSES)
    errors: dict = {}
    if party is None or party.case_id != case.pk:
        errors["party"] = [_("Choose the party who rated the service.")]
    try:
        satisfaction = int(satisfaction)
        if not 1 <= satisfaction <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors["satisfaction"] = [_("Give a satisfaction score from 1 to 5.")]
    if method not in FollowUp.Method.values:
        errors["method"] = [_("Choose phone, home visit or online.")]
    if errors:
        raise CaseInputError(errors)
    follow_up = FollowUp.objects.create(case=case, at=timezone.now(), method=method, satisfaction=satisfaction,
                                        note=note or "", by=None)
    _save(case, [])
    _event(case, by, EventKind.PARTY_RATED, permission=permission, actor_name=party.name,
           **PartyStep(party_id=party.pk, party_role=party.role, channel=method, satisfaction=satisfaction)
           .as_detail())
    return follow_up


REFERRAL_BODY_KINDS = {
    ReferralKind.LITIGATION: {OrganisationKind.COURT},
    ReferralKind.ARBITRATION: {OrganisationKind.ARBITRATION},
    ReferralKind.ADMINISTRATIVE: {OrganisationKind.ADMINISTRATIVE, OrganisationKind.DISTRICT_UNIT,
                                  OrganisationKind.POLICE},
}


@transaction.atomic
def do_refer(case: Case, *, by, kind: str, body: Organisation, note: str = "", version=None) -> Referral:
    """Hand a failed mediation to litigation, arbitration or an administrative body. Returns the referral."""
    case = _lock(case, by, version)
    permission = _require(by, "case.refer", case)
    _check_state(case, {Status.TERMINATED})
    errors: dict = {}
    if kind not in ReferralKind.values:
        errors["kind"] = [_("Choose litigation, arbitration or an administrative body.")]
    elif (body is None or body.kind not in REFERRAL_BODY_KINDS[kind] or not body.active
          or not Organisation.objects.visible_to(by).filter(pk=body.pk).exists()):
        errors["body"] = [_("Choose a receiving body of that kind.")]
    if errors:
        raise CaseInputError(errors)
    referral = Referral.objects.create(case=case, kind=kind, body=body, referred_at=timezone.now(),
                                       referred_by=by, note=note or "")
    previous = _move(case, Status.REFERRED)
    case.outcome = Outcome.REFERRED
    case.owner = by
    case.deadline = add_days_rolled(_today(), REFERRAL_FOLLOW_UP_DAYS)
    _save(case, ["status", "outcome", "owner", "deadline"])
    _event(case, by, EventKind.REFERRED, permission=permission, from_status=previous, reason=note, referral_kind=kind,
           body=body.name)
    return referral


@transaction.atomic
def do_record_referral_result(case: Case, *, by, external_number: str, note: str = "", version=None) -> Referral:
    """The receiving body has filed the case: record its own case number. Returns the referral."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.refer", "case.court"), case)
    referral = case.referrals.order_by("-referred_at", "-id").first()
    if referral is None:
        raise IllegalTransition(_("The case has not been referred."))
    external_number = (external_number or "").strip()
    if not external_number:
        raise CaseInputError({"external_number": _("Give the receiving body's case number.")})
    if len(external_number) > 60:
        raise CaseInputError({"external_number": _("At most 60 characters.")})
    referral.external_number = external_number
    referral.result_note = note or ""
    referral.result_recorded_at = timezone.now()
    referral.save(update_fields=["external_number", "result_note", "result_recorded_at"])
    _save(case, [])
    _event(case, by, EventKind.REFERRAL_RESULT, permission=permission, reason=note, external_number=external_number)
    return referral


@transaction.atomic
def do_withdraw(case: Case, *, by, reason: str, version=None) -> Case:
    """The applicant withdraws (mediation is voluntary, art. 17)."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.intake", "case.mediate"), case)
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Record why the case was withdrawn.")})
    previous = _move(case, Status.WITHDRAWN)
    case.outcome_note = reason.strip()
    _close(case, Outcome.WITHDRAWN)
    _save(case, ["status", "outcome", "outcome_note", "closed_at"])
    _event(case, by, EventKind.WITHDRAWN, permission=permission, from_status=previous, reason=reason)
    return case


@transaction.atomic
def do_follow_up(case: Case, *, by, satisfaction: int, note: str = "", method: str = FollowUp.Method.PHONE,
                 version=None) -> Case:
    """A follow-up visit (回访) with the applicant's satisfaction, 1 (very unsatisfied) to 5."""
    case = _lock(case, by, version)
    permission = _require(by, ("case.mediate", "case.supervise"), case)
    errors: dict = {}
    try:
        satisfaction = int(satisfaction)
        if not 1 <= satisfaction <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors["satisfaction"] = [_("Give a satisfaction score from 1 to 5.")]
    if method not in FollowUp.Method.values:
        errors["method"] = [_("Choose phone, home visit or online.")]
    if errors:
        raise CaseInputError(errors)
    previous = _move(case, Status.FOLLOWED_UP)
    FollowUp.objects.create(case=case, at=timezone.now(), method=method, satisfaction=satisfaction,
                            note=note or "", by=by)
    case.satisfaction = satisfaction
    case.owner = by
    case.deadline = add_working_days(_today(), ARCHIVE_WORKDAYS)
    _save(case, ["status", "satisfaction", "owner", "deadline"])
    _event(case, by, EventKind.FOLLOWED_UP, permission=permission, from_status=previous, reason=note,
           satisfaction=satisfaction)
    return case


@transaction.atomic
def do_archive(case: Case, *, by, note: str = "", version=None) -> Case:
    """Close the file (归档)."""
    case = _lock(case, by, version)
    permission = _require(by, "case.supervise", case)
    previous = _move(case, Status.ARCHIVED)
    case.closed_at = timezone.now()
    _save(case, ["status", "closed_at"])
    _event(case, by, EventKind.ARCHIVED, permission=permission, from_status=previous, reason=note)
    return case


@transaction.atomic
def do_supervise(case: Case, *, by, note: str, version=None) -> Case:
    """Supervise an overdue case (督办): a recorded notice to the owner and the responsible centre."""
    case = _lock(case, by, version)
    permission = _require(by, "case.supervise", case)
    _check_state(case, OPEN_STATUSES)
    if not case.deadline or case.deadline >= _today():
        raise IllegalTransition(_("Only an overdue case can be supervised."))
    if not (note or "").strip():
        raise CaseInputError({"note": _("Write the supervision notice.")})
    case.supervisions += 1
    case.last_supervised_at = timezone.now()
    _save(case, ["supervisions", "last_supervised_at"])
    _event(case, by, EventKind.SUPERVISED, permission=permission, reason=note, deadline=case.deadline.isoformat(),
           owner=str(case.owner))
    return case


@transaction.atomic
def do_add_attachment(case: Case, *, by, file, name: str = "", version=None) -> Attachment:
    """Keep a file on the case (evidence, ID copies, a signed agreement), if its content is one of the
    kinds core.uploads.DOCUMENTS. Stored under MEDIA_ROOT, which the web server does not serve; files are
    read back only through scoped views."""
    import os
    import uuid

    case = _lock(case, by, version)
    permission = _require(by, ("case.intake", "case.mediate"), case)
    original = os.path.basename(name or getattr(file, "name", "") or "")
    if file is None or not original:
        raise CaseInputError({"file": _("Choose a file.")})
    kind = uploads.check_upload(file, kinds=uploads.DOCUMENTS, name=original, refusal=_(
        "Attach a PDF, an image, a Word or Excel document or a text file."))
    attachment = Attachment(case=case, name=original[:200], content_type=kind.content_type,
                            size=file.size, uploaded_at=timezone.now(), uploaded_by=by)
    # A random stored name: the original is kept for display, never used as a path.
    attachment.file.save(f"{uuid.uuid4().hex}{kind.extension}", file, save=False)
    attachment.save()
    _save(case, [])
    _event(case, by, EventKind.ATTACHMENT_ADDED, permission=permission, attachment=attachment.pk, name=attachment.name)
    return attachment


# ----------------------------------------------------------------------------------------------- readers


def get_timeline(case: Case):
    """The case's events and those of the cases merged into it, oldest first."""
    ids = [case.pk, *Case.objects.filter(merged_into=case).values_list("pk", flat=True)]
    return CaseEvent.objects.filter(case_id__in=ids).select_related("actor", "case").order_by("at", "id")


def can_add_attachment(case: Case, user) -> bool:
    """Whether the user may attach files to the case (not one of the state actions the pages list)."""
    return check_case_party(case, user, "case.intake") or check_case_party(case, user, "case.mediate")


# Working a case (as opposed to reading it from a leader's or an unassigned mediator's desk): the codes
# whose holders see its facts and claims, when check_case_party says the case is theirs.
WORKING_ACTIONS = ("case.intake", "case.route", "case.mediate", "case.supervise", "case.refer", "case.court")
FACTS_WITHHELD = gettext_lazy("Withheld: the facts and claims are personal information, shown only to those "
                              "who work on the case.")


def can_read_case_facts(case: Case, user) -> bool:
    """Whether `user` may read the case's facts and claims (personal information, need-to-know): those
    who work it (WORKING_ACTIONS on this case: its registering side, the centres that route, supervise
    and refer it, its assigned mediators, the court whose case it is), the leader in charge (包案), and
    the bank or court whose own case it is. Not a leader reading the district, nor an unassigned mediator."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or (case.lead_leader_id and case.lead_leader_id == user.pk):
        return True
    if any(check_case_party(case, user, action) for action in WORKING_ACTIONS):
        return True
    return any(
        grant.organisation_id and "case.view" in grant.role.actions and case.area_id.startswith(grant.area_id)
        and Case.objects.filter(organisation_case_q(grant.organisation_id), pk=case.pk).exists()
        for grant in get_grants(user)
    )


def _is_active_mediator(case: Case, user) -> bool:
    return case.assignments.filter(mediator=user, recused_at__isnull=True).exists()


def get_available_actions(case: Case, user) -> list[str]:
    """The actions `user` may take on `case` now (names of the do_* functions without the prefix).
    The pages show exactly these; the actions check again when called."""
    if not user_can_reach(user, "case.view", case):
        return []
    # Whose case it is, per action code, exactly as _require asks (check_case_party): "case.mediate"
    # holds only for the case's assigned mediators.
    can = {a: check_case_party(case, user, a) for a in (
        "case.intake", "case.route", "case.mediate", "case.supervise", "case.refer", "case.court")}
    mediator = can["case.supervise"] or can["case.mediate"]
    s = case.status
    actions = []

    def offer(name, allowed, status_ok=True):
        if allowed and status_ok:
            actions.append(name)

    offer("record_visit", can["case.intake"] or can["case.mediate"], s in OPEN_STATUSES)
    offer("accept", can["case.route"], s == Status.REGISTERED)
    offer("not_accept", can["case.route"], s == Status.REGISTERED)
    offer("transfer_window", can["case.route"], s in ROUTABLE_STATUSES)
    offer("assign", can["case.route"], s in {Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})
    offer("recuse", can["case.route"], s in {Status.ASSIGNED, Status.MEDIATING})
    offer("escalate", can["case.route"], s in ROUTABLE_STATUSES and case.tier != Tier.DISTRICT)
    offer("delegate", can["case.route"], s in ROUTABLE_STATUSES and case.tier != Tier.VILLAGE)
    offer("merge_cases", can["case.route"], s in ROUTABLE_STATUSES)
    offer("start_mediation", mediator, s == Status.ASSIGNED)
    offer("record_session", mediator, s == Status.MEDIATING)
    offer("extend", mediator, s == Status.MEDIATING)
    offer("record_agreement", mediator, s == Status.MEDIATING)
    offer("terminate", mediator, s == Status.MEDIATING)
    offer("apply_confirmation", can["case.mediate"] or can["case.court"], s == Status.AGREED)
    offer("record_confirmation", can["case.court"], s == Status.CONFIRMATION_PENDING)
    offer("record_performance", can["case.mediate"] or can["case.supervise"],
          s in {Status.AGREED, Status.CONFIRMED, Status.CONFIRMATION_REJECTED, Status.PERFORMING})
    offer("record_refusal", can["case.intake"] or can["case.route"] or can["case.mediate"] or can["case.supervise"],
          s in REFUSABLE_STATUSES)
    offer("refer", can["case.refer"], s == Status.TERMINATED)
    offer("record_referral_result", can["case.refer"] or can["case.court"],
          s in {Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED} and case.referrals.exists())
    offer("withdraw", can["case.intake"] or can["case.mediate"],
          s in {Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING})
    offer("follow_up", can["case.mediate"] or can["case.supervise"],
          s in {Status.PERFORMING, Status.TERMINATED, Status.REFERRED})
    offer("archive", can["case.supervise"], s == Status.FOLLOWED_UP)
    offer("supervise", can["case.supervise"], case.is_overdue(_today()))
    return actions
