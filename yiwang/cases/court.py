"""The court's side of its cases: the court liaison's queue (委派调解 delegations running, delegated cases
that came back, referrals to the court awaiting its case number, judicial confirmation applications by
deadline), read for the courts the user acts for (grants holding case.court limited to a court).

    get_courts_of(user) → [Organisation]      the courts the user acts for
    get_court_queue(user) → CourtQueue         the four lists, each case within the user's sight
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases.models import CLOSED_STATUSES, Agreement, Case, Channel, Referral, Status
from yiwang.core.scope import get_grants


def get_courts_of(user) -> list[Organisation]:
    """The courts whose liaison `user` is: organisation-limited grants carrying case.court."""
    ids = {g.organisation_id for g in get_grants(user) if g.organisation_id and "case.court" in g.role.actions}
    return list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.COURT).order_by("name"))


@dataclass
class CourtQueue:
    """What concerns the user's courts now, oldest deadline first; `overdue` marks the rows past it."""

    courts: list
    delegations: list = field(default_factory=list)  # 委派调解 still being mediated
    returned: list = field(default_factory=list)  # delegated cases whose mediation ended without agreement
    referrals: list = field(default_factory=list)  # referred to the court, its case number not yet back
    confirmations: list = field(default_factory=list)  # judicial confirmation applied for, not yet decided

    @property
    def empty(self) -> bool:
        return not (self.delegations or self.returned or self.referrals or self.confirmations)


def get_court_queue(user) -> CourtQueue:
    courts = get_courts_of(user)
    queue = CourtQueue(courts=courts)
    if not courts:
        return queue
    today = timezone.localdate()
    visible = Case.objects.visible_to(user, "case.view").select_related("centre", "dispute_type")
    delegated = visible.filter(submitted_by_organisation__in=courts, channel=Channel.COURT_DELEGATION
                               ).select_related("delegation")
    queue.delegations = list(delegated.filter(status__in=[
        Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING]).order_by("mediation_deadline", "deadline", "id"))
    queue.returned = list(delegated.filter(Q(status__in=[Status.TERMINATED, Status.REFERRED])
                                           | Q(status__in=sorted(CLOSED_STATUSES), outcome__in=["terminated", "referred"]))
                          .order_by("-updated_at")[:50])
    pending = Referral.objects.filter(body__in=courts, external_number="", no_number_reason="", case__in=visible).select_related(
        "case", "body").order_by("referred_at")
    queue.referrals = list(pending)
    applications = Agreement.objects.filter(confirmation_court__in=courts, confirmation_decided_on__isnull=True,
                                            case__in=visible.filter(status=Status.CONFIRMATION_PENDING)
                                            ).select_related("case", "confirmation_court").order_by("case__deadline")
    queue.confirmations = list(applications)
    for case in queue.delegations:
        case.overdue = case.is_overdue(today)
    for agreement in queue.confirmations:
        agreement.overdue = agreement.case.is_overdue(today)
    return queue
