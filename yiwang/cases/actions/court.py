"""The court's delegation (委派调解) from registration to its return, and the court's case numbers.

    do_register_delegation(by=, court=, court_case_number=, <do_register_case's case fields>) → Case
        a court liaison (case.court, for that court) registers a delegation with the court's 案号; the same
        court and 案号 again returns the first case (`just_created` False): the court's system may retry
    do_return_to_court(case, by=, reason=) → Case       a failed delegation (or one whose period ended)
        goes back to the court with its materials (build_return_package): referred to the court, recorded
    build_return_package(case) → bytes                   the ZIP: the return letter and the case's files
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases import validators
from yiwang.cases.actions._base import (
    MEDIATION_DAYS,
    REFERRAL_FOLLOW_UP_DAYS,
    CaseInputError,
    PermissionRefused,
    _event,
    _lock,
    _move,
    _required_text,
    _save,
    _today,
    check_step,
)
from yiwang.cases.actions.intake import do_register_case
from yiwang.cases.actions.mediation import _terminate
from yiwang.cases.models import (
    Attachment,
    Case,
    Channel,
    Delegation,
    EventKind,
    Outcome,
    Referral,
    ReferralKind,
    Status,
)
from yiwang.core.calendar import add_days_rolled


def check_court_case_number(value: str, field: str = "court_case_number") -> str:
    """The 案号 normalised (full-width parentheses), or CaseInputError on `field`."""
    try:
        validators.validate_court_case_number(value)
    except ValidationError as e:
        raise CaseInputError({field: e.messages}) from None
    return validators.normalise_court_case_number(value)


def _acts_for(by, court: Organisation) -> bool:
    from yiwang.cases.court import get_courts_of

    return bool(by.is_superuser) or any(c.pk == court.pk for c in get_courts_of(by))


def do_register_delegation(*, by, court, court_case_number: str, **case_fields) -> Case:
    """A court delegates a dispute for pre-filing mediation (委派调解) under its 案号: the case is
    registered (channel court delegation, the court's own case) and runs MEDIATION_DAYS from today,
    extendable only with every party's consent (procedures). Idempotent on the court and 案号."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    if not isinstance(court, Organisation):
        court = Organisation.objects.filter(pk=str(court)).first() if str(court or "").isdigit() else None
    if court is None or court.kind != OrganisationKind.COURT or not court.active:
        raise CaseInputError({"court": [_("Choose the delegating court.")]})
    if not _acts_for(by, court):
        raise PermissionRefused(_("Only the court's liaison registers its delegations."))
    number = check_court_case_number(court_case_number)
    existing = Delegation.objects.filter(court=court, court_case_number=number).select_related("case").first()
    if existing is not None:
        existing.case.just_created = False
        return existing.case
    case_fields.pop("channel", None)
    case_fields.pop("submitted_by_organisation", None)
    try:
        with transaction.atomic():
            case = do_register_case(by=by, channel=Channel.COURT_DELEGATION, submitted_by_organisation=court,
                                    permission="case.court", **case_fields)
            if not getattr(case, "just_created", True):  # the same idempotency key: its delegation stands
                return case
            received = timezone.localtime(case.received_at).date()
            Delegation.objects.create(case=case, court=court, court_case_number=number, registered_at=timezone.now(),
                                      registered_by=by, period_ends=add_days_rolled(received, MEDIATION_DAYS))
            _save(case, [])
            _event(case, by, EventKind.DELEGATION_REGISTERED, permission="case.court", court=court.name,
                   court_case_number=number, period_ends=case.delegation.period_ends.isoformat())
    except IntegrityError:  # the same 案号 posted twice at once: the first one won
        existing = Delegation.objects.filter(court=court, court_case_number=number).select_related("case").first()
        if existing is None:
            raise
        existing.case.just_created = False
        return existing.case
    case.just_created = True
    return case


def build_return_package(case: Case, *, reason: str = "") -> bytes:
    """The materials going back to the court (as for judicial confirmation, one ZIP): the return letter
    (委派调解退回函: the court's 案号, the parties, the sessions held, why mediation failed) and every file
    on the case (evidence, records)."""
    from yiwang.cases.documents import render_delegation_return
    from yiwang.documents import build_package

    files = [("01-委派调解退回函.pdf", render_delegation_return(case, reason=reason))]
    for n, attachment in enumerate(case.attachments.order_by("uploaded_at", "id"), 1):
        try:
            with attachment.file.open("rb") as f:
                files.append((f"02-材料/{n:02d}-{attachment.name}", f.read()))
        except (OSError, ValueError):  # a file lost on disk: the letter lists what the case holds
            continue
    return build_package(files)


@transaction.atomic
def do_return_to_court(case: Case, *, by, reason: str, version=None) -> Case:
    """A court-delegated case whose mediation failed, or whose period ended, goes back to the court for
    filing with its materials: mediation is ended (the court route told) if it was still running, the
    case is referred to the delegating court (awaiting its filing number) and the package is kept as an
    attachment of the case, its digest on the timeline."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "return_to_court")
    errors: dict = {}
    reason = _required_text(errors, "reason", reason, _("Say why the case goes back to the court."))
    if errors:
        raise CaseInputError(errors)
    delegation = case.delegation
    court = delegation.court
    original = case.status
    if case.status == Status.MEDIATING:
        _terminate(case, reason=reason, routes_told=_("Returned to %(court)s for filing (委派调解 %(number)s).")
                   % {"court": court.name, "number": delegation.court_case_number})
    package = build_return_package(case, reason=reason)
    now = timezone.now()
    attachment = Attachment(case=case, name=f"{case.number}-退回法院.zip", content_type="application/zip",
                            size=len(package), uploaded_at=now, uploaded_by=by)
    attachment.file.save(f"{case.number}-return.zip", ContentFile(package), save=False)
    attachment.save()
    Referral.objects.create(case=case, kind=ReferralKind.LITIGATION, body=court, referred_at=now, referred_by=by,
                            note=reason)
    _move(case, Status.REFERRED)
    case.outcome = Outcome.REFERRED
    case.owner = by
    case.deadline = add_days_rolled(_today(), REFERRAL_FOLLOW_UP_DAYS)
    _save(case, ["status", "outcome", "outcome_note", "routes_told", "owner", "deadline"])
    delegation.returned_at, delegation.returned_by, delegation.return_reason = now, by, reason
    delegation.return_package = attachment
    delegation.save(update_fields=["returned_at", "returned_by", "return_reason", "return_package"])
    _event(case, by, EventKind.RETURNED_TO_COURT, permission=permission, from_status=original, reason=reason,
           court=court.name, court_case_number=delegation.court_case_number,
           package_sha256=hashlib.sha256(package).hexdigest(), attachment=attachment.pk)
    return case
