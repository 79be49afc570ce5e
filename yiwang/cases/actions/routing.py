"""Where a case goes (tier, centre, window, team) and the centre's routing decisions: accept or not,
another window, mediators, recusal, up or down a tier, merging a duplicate."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Centre, DisputeType, Organisation, Team, TeamKind, Window, WindowKind
from yiwang.cases.actions._base import (
    ASSIGN_WORKDAYS,
    DISTRICT_AMOUNT,
    DISTRICT_PEOPLE,
    START_WORKDAYS,
    TOWN_AMOUNT,
    TOWN_PEOPLE,
    CaseInputError,
    IllegalTransition,
    _close,
    _event,
    _lock,
    _move,
    _require,
    _required_text,
    _save,
    _today,
    check_step,
)
from yiwang.cases.models import TIER_ORDER, Assignment, Case, Channel, EventKind, Outcome, Party, Status, Tier
from yiwang.core.calendar import add_working_days
from yiwang.core.codes import CODE_LENGTH, Level, ancestor_codes
from yiwang.core.scope import get_grants, get_users_who_can, user_can

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


# ----------------------------------------------------------------------------------------------- acceptance


@transaction.atomic
def do_accept(case: Case, *, by, note: str = "", version=None) -> Case:
    """Accept the case (受理): mediators are to be named within ASSIGN_WORKDAYS."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "accept")  # the centre decides, not a partner who registers
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
    permission = check_step(case, by, "not_accept")
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
    permission = check_step(case, by, "transfer_window")
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
    permission = check_step(case, by, "assign")
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
    permission = check_step(case, by, "recuse")
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
    permission = check_step(case, by, "escalate")
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for escalating the case.")})
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
    permission = check_step(case, by, "delegate")
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
    permission = check_step(duplicate, by, "merge_cases")
    _require(by, "case.route", into)
    if not (reason or "").strip():
        raise CaseInputError({"reason": _("Give the reason for merging.")})
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
