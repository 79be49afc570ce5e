"""Mediation itself: starting it, sessions, extensions, ending it without agreement, and a party's own
answer to the invitation (refusal or acceptance)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases.actions._base import (
    MEDIATION_DAYS,
    NEXT_STEP_WORKDAYS,
    CaseInputError,
    _close,
    _event,
    _lock,
    _move,
    _required_text,
    _save,
    _today,
    check_step,
)
from yiwang.cases.models import (
    Case,
    EventKind,
    MediationSession,
    Outcome,
    Party,
    PartyRole,
    PartyStep,
    Status,
)
from yiwang.cases.procedures import get_extension_policy
from yiwang.core.calendar import add_days_rolled, add_working_days

# ----------------------------------------------------------------------------------------------- mediation


def _terminate(case: Case, *, reason: str, routes_told: str) -> str:
    """Mediation ends without agreement (art. 26), by the mediator or because a party refused: the
    routes the parties were told are kept and the next step is due. Returns the previous status."""
    previous = _move(case, Status.TERMINATED)
    case.routes_told = routes_told
    case.outcome = Outcome.TERMINATED
    case.outcome_note = reason
    case.deadline = add_working_days(_today(), NEXT_STEP_WORKDAYS)
    _save(case, ["status", "routes_told", "outcome", "outcome_note", "deadline"])
    return previous


@transaction.atomic
def do_start_mediation(case: Case, *, by, version=None) -> Case:
    """Open mediation: 30 days (rolled past holidays), extendable with the parties' consent."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "start_mediation")
    previous = _move(case, Status.MEDIATING)
    case.mediation_deadline = add_days_rolled(_today(), MEDIATION_DAYS)
    if hasattr(case, "delegation"):  # a court's delegation runs from its registration (委派调解: 30 days)
        case.mediation_deadline = case.delegation.period_ends
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
    permission = check_step(case, by, "record_session")
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
def do_extend(case: Case, *, by, days: int, consent: bool, reason: str = "", consenting_parties=(),
              version=None) -> Case:
    """Extend mediation with the parties' consent, within what the case's procedure allows
    (procedures.EXTENSION_POLICIES: how many extensions, how long each). A court-delegated case needs the
    consent of every party, named in `consenting_parties` (Party objects or ids) and kept on the timeline;
    the delegation's period moves with the case's mediation deadline."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "extend")
    policy = get_extension_policy(case)
    errors = {}
    if not consent:
        errors["consent"] = [_("Mediation can only be extended with the consent of the parties.")]
    try:
        days = int(days)
        if not 1 <= days <= policy.max_days:
            raise ValueError
    except (TypeError, ValueError):
        errors["days"] = [_("Extend by 1 to %(max)s days.") % {"max": policy.max_days}]
    ids = {str(getattr(p, "pk", p)) for p in consenting_parties or ()}
    parties = list(case.parties.order_by("role", "id"))
    consenting = [p for p in parties if str(p.pk) in ids]
    if policy.every_party_consents and len(consenting) != len(parties):
        errors["consenting_parties"] = [_("A court-delegated mediation is extended only with the consent of "
                                          "every party: record each party's consent.")]
    if errors:
        raise CaseInputError(errors)
    previous_deadline = case.mediation_deadline
    case.mediation_deadline = add_days_rolled(max(previous_deadline or _today(), _today()), days)
    case.deadline = case.mediation_deadline
    case.extensions += 1
    _save(case, ["mediation_deadline", "deadline", "extensions"])
    if policy.every_party_consents:
        delegation = case.delegation
        delegation.period_ends = case.mediation_deadline
        delegation.extensions += 1
        delegation.save(update_fields=["period_ends", "extensions"])
    _event(case, by, EventKind.EXTENDED, permission=permission, reason=reason, days=days,
           previous_deadline=previous_deadline.isoformat() if previous_deadline else "",
           mediation_deadline=case.mediation_deadline.isoformat(), procedure=policy.procedure,
           consenting_parties="、".join(p.name for p in consenting))
    return case


@transaction.atomic
def do_terminate(case: Case, *, by, reason: str, routes_told: str, version=None) -> Case:
    """End mediation without agreement (a party refuses, or no agreement is possible) and record that the
    parties were told their court, arbitration and administrative routes (art. 26)."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "terminate")
    errors: dict = {}
    reason = _required_text(errors, "reason", reason, _("Say why mediation ended."))
    routes_told = _required_text(errors, "routes_told", routes_told,
                                 _("Record which routes (court, arbitration, administrative) the parties were told."))
    if errors:
        raise CaseInputError(errors)
    previous = _terminate(case, reason=reason, routes_told=routes_told)
    _event(case, by, EventKind.TERMINATED, permission=permission, from_status=previous, reason=reason)
    return case


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
    permission = check_step(case, by, "record_refusal")
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
        previous = _terminate(case, reason=reason, routes_told=routes_told)
    _event(case, by, EventKind.MEDIATION_REFUSED, permission=permission, from_status=previous, reason=reason,
           **PartyStep(party_id=party.pk, party_role=party.role, routes_told=routes_told).as_detail())
    return case


@transaction.atomic
def do_record_party_acceptance(case: Case, *, by, party: Party, channel: str = "online", version=None) -> Case:
    """A respondent accepted mediation themselves (through their private link): the timeline says so,
    naming the party. Recorded by whoever relays the answer (the centre's 解纷码 identity online)."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_party_acceptance")
    if party is None or party.case_id != case.pk or party.role != PartyRole.RESPONDENT:
        raise CaseInputError({"party": _("Only the respondent answers the invitation to mediate.")})
    _save(case, [])
    _event(case, by, EventKind.RESPONDENT_ACCEPTED, permission=permission, actor_name=party.name,
           **PartyStep(party_id=party.pk, party_role=party.role, channel=channel).as_detail())
    return case


# Mediation is over (agreed, ended, referred, or later): a party may rate the service.
