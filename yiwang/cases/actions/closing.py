"""After mediation: a party's rating, referral to another body, follow-up, archiving, supervision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases.actions._base import (
    ARCHIVE_WORKDAYS,
    REFERRAL_FOLLOW_UP_DAYS,
    CaseInputError,
    _event,
    _lock,
    _move,
    _save,
    _today,
    check_step,
)
from yiwang.cases.models import (
    Case,
    EventKind,
    FollowUp,
    Outcome,
    Party,
    PartyStep,
    Referral,
    ReferralKind,
    Status,
)
from yiwang.core.calendar import add_days_rolled, add_working_days


def _check_rating(errors: dict, satisfaction, method: str) -> int | None:
    """A satisfaction score 1–5 and a follow-up method, as a staff follow-up and a party's rating both take
    them; problems go into `errors` (field → messages). Returns the score as a number."""
    try:
        score = int(satisfaction)
        if not 1 <= score <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors["satisfaction"] = [_("Give a satisfaction score from 1 to 5.")]
        score = None
    if method not in FollowUp.Method.values:
        errors["method"] = [_("Choose phone, home visit or online.")]
    return score


@transaction.atomic
def do_record_party_rating(case: Case, *, by, party: Party, satisfaction: int, note: str = "",
                           method: str = FollowUp.Method.ONLINE, version=None) -> FollowUp:
    """A party rated the service themselves (1–5, once mediation is over): it joins the case's follow-up
    record (FollowUp with no staff member, the party named in its note) and the timeline. Recorded by
    whoever relays it (the centre's 解纷码 identity online). Returns the follow-up."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_party_rating")
    errors: dict = {}
    if party is None or party.case_id != case.pk:
        errors["party"] = [_("Choose the party who rated the service.")]
    satisfaction = _check_rating(errors, satisfaction, method)
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
    permission = check_step(case, by, "refer")
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


def check_receiving_number(referral: Referral, value: str) -> str:
    """The receiving body's number as kept: a court's is a 案号 in the national format (normalised);
    an arbitration commission's or an administrative body's is its own, up to 60 characters."""
    from yiwang.cases.actions.court import check_court_case_number

    if referral.body.kind == OrganisationKind.COURT:
        return check_court_case_number(value, "external_number")
    if len(value) > 60:
        raise CaseInputError({"external_number": _("At most 60 characters.")})
    return value


@transaction.atomic
def do_record_referral_result(case: Case, *, by, external_number: str = "", note: str = "",
                              correction_reason: str = "", no_number_reason: str = "", version=None) -> Referral:
    """The receiving body has filed the case: record its own case number (a court's is checked against
    the national 案号 format), shown on the timeline. A number already recorded is never silently
    replaced: a second entry is a correction and needs `correction_reason` (the timeline and the audit log
    keep both numbers). When no number will come back, `no_number_reason` says why (the file may then be
    archived). Returns the referral."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_referral_result")
    referral = case.referrals.select_related("body").order_by("-referred_at", "-id").first()
    external_number = (external_number or "").strip()
    correction_reason = (correction_reason or "").strip()
    no_number_reason = (no_number_reason or "").strip()
    if not external_number:
        if not no_number_reason:
            raise CaseInputError({"external_number": _("Give the receiving body's case number, or say why none "
                                                       "came back.")})
        if referral.external_number:
            raise CaseInputError({"no_number_reason": _("A case number has been recorded: correct it instead.")})
        referral.no_number_reason = no_number_reason
        referral.result_recorded_at = timezone.now()
        referral.save(update_fields=["no_number_reason", "result_recorded_at"])
        _save(case, [])
        _event(case, by, EventKind.REFERRAL_RESULT, permission=permission, reason=no_number_reason,
               external_number="", no_number=True)
        return referral
    external_number = check_receiving_number(referral, external_number)
    previous = referral.external_number
    if previous and previous == external_number:
        raise CaseInputError({"external_number": _("This case number is already recorded.")})
    if previous and not correction_reason:
        raise CaseInputError({"correction_reason": _("A case number is already recorded (%(number)s): say why "
                                                     "it is corrected.") % {"number": previous}})
    referral.external_number = external_number
    referral.result_note = note or referral.result_note
    referral.result_recorded_at = timezone.now()
    referral.no_number_reason = ""
    referral.save(update_fields=["external_number", "result_note", "result_recorded_at", "no_number_reason"])
    _save(case, [])
    if previous:
        _event(case, by, EventKind.COURT_NUMBER_CORRECTED, permission=permission, reason=correction_reason,
               external_number=external_number, previous_number=previous)
    else:
        _event(case, by, EventKind.REFERRAL_RESULT, permission=permission, reason=note,
               external_number=external_number)
    return referral


@transaction.atomic
def do_follow_up(case: Case, *, by, satisfaction: int, note: str = "", method: str = FollowUp.Method.PHONE,
                 version=None) -> Case:
    """A follow-up visit (回访) with the applicant's satisfaction, 1 (very unsatisfied) to 5."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "follow_up")
    errors: dict = {}
    satisfaction = _check_rating(errors, satisfaction, method)
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
    permission = check_step(case, by, "archive")
    previous = _move(case, Status.ARCHIVED)
    case.closed_at = timezone.now()
    _save(case, ["status", "closed_at"])
    _event(case, by, EventKind.ARCHIVED, permission=permission, from_status=previous, reason=note)
    return case


@transaction.atomic
def do_supervise(case: Case, *, by, note: str, version=None) -> Case:
    """Supervise an overdue case (督办): a recorded notice to the owner and the responsible centre."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "supervise")
    if not (note or "").strip():
        raise CaseInputError({"note": _("Write the supervision notice.")})
    case.supervisions += 1
    case.last_supervised_at = timezone.now()
    _save(case, ["supervisions", "last_supervised_at"])
    _event(case, by, EventKind.SUPERVISED, permission=permission, reason=note, deadline=case.deadline.isoformat(),
           owner=str(case.owner))
    return case
