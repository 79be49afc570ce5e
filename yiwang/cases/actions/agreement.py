"""The mediation agreement and what follows it: judicial confirmation and performance."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases.actions._base import (
    CONFIRMATION_WINDOW_DAYS,
    COURT_ACCEPT_DAYS,
    COURT_EXTENSION_DAYS,
    COURT_RULING_DAYS,
    NEXT_STEP_WORKDAYS,
    CaseInputError,
    _as_date,
    _event,
    _lock,
    _move,
    _required_text,
    _save,
    _today,
    check_step,
)
from yiwang.cases.models import Agreement, Case, EventKind, Outcome, Status
from yiwang.core.calendar import add_days_rolled, add_working_days
from yiwang.core.codes import ancestor_codes

AGREEMENT_TEXT_FIELDS = {
    "facts": gettext_lazy("Set out the main facts."),
    "matters_in_dispute": gettext_lazy("Set out the matters in dispute."),
    "responsibilities": gettext_lazy("Set out each party's responsibility."),
    "content": gettext_lazy("Set out what the parties agreed."),
    "performance_manner": gettext_lazy("Say how the agreement will be performed."),
    "performance_place": gettext_lazy("Say where the agreement will be performed."),
}


def _agreement_values(errors: dict, *, facts, matters_in_dispute, responsibilities, content, performance_manner,
                      performance_place, performance_deadline) -> dict:
    """The art. 29 elements, checked: every text given, performance due no earlier than today."""
    values = {"facts": facts, "matters_in_dispute": matters_in_dispute, "responsibilities": responsibilities,
              "content": content, "performance_manner": performance_manner, "performance_place": performance_place}
    for field, message in AGREEMENT_TEXT_FIELDS.items():
        values[field] = _required_text(errors, field, values[field], str(message))
    for field in ("performance_manner", "performance_place"):
        if isinstance(values[field], str) and len(values[field]) > 200:
            errors[field] = [_("At most 200 characters.")]
    deadline = _as_date(performance_deadline, "performance_deadline", errors) if performance_deadline else None
    if not performance_deadline:
        errors["performance_deadline"] = [_("Give the deadline of performance.")]
    if deadline and deadline < _today():
        errors["performance_deadline"] = [_("Performance cannot be due before the agreement is signed.")]
    values["performance_deadline"] = deadline
    return values


def _parties(case: Case, errors: dict) -> list[dict]:
    parties = [p.snapshot() for p in case.parties.all()]
    if not parties:
        errors["parties"] = [_("The case has no parties to sign an agreement.")]
    return parties


@transaction.atomic
def do_record_agreement(case: Case, *, by, facts: str, matters_in_dispute: str, responsibilities: str,
                        content: str, performance_manner: str, performance_place: str, performance_deadline,
                        version=None) -> Case:
    """Draft the written mediation agreement with every element of People's Mediation Law art. 29 (the
    parties' basic information is copied from the case as it stands). The case stays in mediation: the
    agreement takes effect only once every party and the mediator have signed and the committee's seal
    is applied (actions.signing). A draft nobody has signed yet may be drafted again."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_agreement")
    errors: dict = {}
    values = _agreement_values(
        errors, facts=facts, matters_in_dispute=matters_in_dispute, responsibilities=responsibilities,
        content=content, performance_manner=performance_manner, performance_place=performance_place,
        performance_deadline=performance_deadline)
    parties = _parties(case, errors)
    if errors:
        raise CaseInputError(errors)
    Agreement.objects.update_or_create(case=case, defaults={
        "parties_snapshot": parties, "oral": False, "parties_confirmed": False, "signed_on": None,
        "effective_on": None, "mediator": by, **values})
    case.owner = by
    _save(case, ["owner"])
    _event(case, by, EventKind.AGREEMENT_DRAFTED, permission=permission)
    return case


@transaction.atomic
def do_record_oral_agreement(case: Case, *, by, facts: str, matters_in_dispute: str, responsibilities: str,
                             content: str, performance_manner: str, performance_place: str, performance_deadline,
                             parties_confirmed: bool = False, version=None) -> Case:
    """An oral agreement (art. 28): the mediator records its content, the parties confirm it, and it takes
    effect on that record (mediating → agreed). It is never put up for signing nor for judicial
    confirmation."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_oral_agreement")
    errors: dict = {}
    values = _agreement_values(
        errors, facts=facts, matters_in_dispute=matters_in_dispute, responsibilities=responsibilities,
        content=content, performance_manner=performance_manner, performance_place=performance_place,
        performance_deadline=performance_deadline)
    parties = _parties(case, errors)
    if not parties_confirmed:
        errors["parties_confirmed"] = [_("Read the recorded content to the parties and record that they confirmed it.")]
    if errors:
        raise CaseInputError(errors)
    today = _today()
    Agreement.objects.update_or_create(case=case, defaults={
        "parties_snapshot": parties, "oral": True, "parties_confirmed": True, "signed_on": today,
        "effective_on": today, "mediator": by, **values})
    previous = _move(case, Status.AGREED)
    case.outcome = Outcome.AGREEMENT
    case.deadline = add_days_rolled(values["performance_deadline"], 0)  # no confirmation: performance is next
    case.owner = by
    _save(case, ["status", "outcome", "deadline", "owner"])
    _event(case, by, EventKind.AGREEMENT_RECORDED, permission=permission, from_status=previous, oral=True)
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
    permission = check_step(case, by, "apply_confirmation")
    agreement = case.agreement
    errors: dict = {}
    applied_on = _as_date(applied_on or _today(), "applied_on", errors)
    # Only an agreement in effect reaches here (the step's condition); the window runs from that date.
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
    case.deadline = add_days_rolled(applied_on, COURT_ACCEPT_DAYS)  # the court's first answer: accept or not
    _save(case, ["status", "deadline"])
    _event(case, by, EventKind.CONFIRMATION_APPLIED, permission=permission, from_status=previous, court=court.name)
    return case


@transaction.atomic
def do_accept_confirmation(case: Case, *, by, note: str = "", version=None) -> Case:
    """The court accepted the application for judicial confirmation (within 3 days of it): it now rules
    within 15 days, the case's deadline."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "accept_confirmation")
    agreement = case.agreement
    agreement.confirmation_accepted_on = _today()
    agreement.save(update_fields=["confirmation_accepted_on"])
    case.deadline = add_days_rolled(agreement.confirmation_accepted_on, COURT_RULING_DAYS)
    _save(case, ["deadline"])
    _event(case, by, EventKind.CONFIRMATION_ACCEPTED, permission=permission, reason=note or "")
    return case


@transaction.atomic
def do_extend_confirmation(case: Case, *, by, reason: str, version=None) -> Case:
    """The court extended its ruling period once, by 10 days, with its reason."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "extend_confirmation")
    if not (reason or "").strip():
        raise CaseInputError({"reason": [_("Give the court's reason for the extension.")]})
    agreement = case.agreement
    agreement.confirmation_extended = True
    agreement.save(update_fields=["confirmation_extended"])
    case.deadline = add_days_rolled(agreement.confirmation_accepted_on, COURT_RULING_DAYS + COURT_EXTENSION_DAYS)
    _save(case, ["deadline"])
    _event(case, by, EventKind.CONFIRMATION_EXTENDED, permission=permission, reason=reason)
    return case


@transaction.atomic
def do_record_confirmation(case: Case, *, by, accepted: bool, decided_on=None, court_case_number: str = "",
                           note: str = "", version=None) -> Case:
    """The court's answer to the application for judicial confirmation."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_confirmation")
    errors: dict = {}
    decided_on = _as_date(decided_on or _today(), "decided_on", errors)
    if accepted and not (court_case_number or "").strip():
        errors["court_case_number"] = [_("Give the court's case number.")]
    elif (court_case_number or "").strip():
        from yiwang.cases.actions.court import check_court_case_number

        try:
            court_case_number = check_court_case_number(court_case_number)
        except CaseInputError as e:
            errors.update(e.message_dict)
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
    permission = check_step(case, by, "record_performance")
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
