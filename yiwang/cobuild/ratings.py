"""好坏大家评: residents rate the finished work in their community on its public page, one rating per
phone number and item, the number proven by an SMS code (online's one-time codes, purpose "rate");
and the records of units and organisations (claims met, time to claim, ratings) read from it.

    get_rateable(area) → (demands, projects)         closed demands and completed projects of the community
    do_request_code(phone) → OneTimeCode              SMS a code (online's rate limit per phone applies)
    do_rate(area, *, phone, code, demand=None, project=None, score, comment="") → Rating
    get_records(area_code) → list[OrganisationRecord] per organisation, for the statistics page
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cobuild.models import FINISHED_STAGES, Claim, ClaimState, Demand, DemandState, Project, Rating
from yiwang.core import errors
from yiwang.pii import mask_phone

PURPOSE = "rate"


def _phone_hash(phone: str) -> str:
    return salted_hmac("yiwang.cobuild.rating", phone, algorithm="sha256").hexdigest()


def check_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise errors.InputError({"phone": _("Give an 11-digit mobile number.")})
    return phone


def get_rateable(area):
    """What residents may rate in the community: its closed demands and completed projects."""
    demands = Demand.objects.filter(area=area, state=DemandState.CLOSED).order_by("-closed_at")
    projects = Project.objects.filter(area=area, stage__in=FINISHED_STAGES).order_by("-ends_on")
    return demands, projects


def do_request_code(phone: str):
    """Send a rating code to `phone`."""
    from yiwang.online.actions.access import issue_code

    return issue_code(check_phone(phone), PURPOSE)


def do_rate(area, *, phone: str, code: str, score, demand: Demand | None = None, project: Project | None = None,
            comment: str = "") -> Rating:
    """Record a resident's rating once their code checks out. Input is checked before the code is
    used, so a mistake costs no code; a second rating of the same item by the same phone is refused."""
    from yiwang.online.actions.access import check_code

    phone = check_phone(phone)
    demands, projects = get_rateable(area)
    if (demand is None) == (project is None):
        raise errors.InputError({"item": _("Choose one piece of work to rate.")})
    if demand is not None and not demands.filter(pk=demand.pk).exists() or (
            project is not None and not projects.filter(pk=project.pk).exists()):
        raise errors.InputError({"item": _("Only finished work of this community is rated here.")})
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise errors.InputError({"score": _("Give 1 to 5 stars.")})
    digest = _phone_hash(phone)
    if Rating.objects.filter(phone_hash=digest, demand=demand, project=project).exists():
        raise errors.IllegalTransition(_("This number has already rated this work."))
    check_code(phone, PURPOSE, code)  # CodeRefused (an ActionRefused) when wrong, expired or used
    try:
        with transaction.atomic():
            rating = Rating.objects.create(area=area, demand=demand, project=project, phone_hash=digest,
                                           phone_masked=mask_phone(phone), score=score,
                                           comment=(comment or "").strip()[:300])
            record(None, "cobuilding.rated", rating, actor_name=f"resident:{mask_phone(phone)}", score=score)
    except IntegrityError:  # the same phone, twice at once
        raise errors.IllegalTransition(_("This number has already rated this work.")) from None
    return rating


@dataclass
class OrganisationRecord:
    """One organisation's record on the demand list."""

    name: str
    claims: int
    met: int
    hours_to_claim: float | None
    rating: float | None
    ratings: int


def get_records(area_code: str) -> list[OrganisationRecord]:
    """Per organisation that claimed demands under `area_code`: claims, claims met (closed), the mean
    time from posting to claiming, and the residents' mean rating of its closed work."""
    rows: dict[int, dict] = {}
    claims = Claim.objects.filter(area__code__startswith=area_code).select_related("organisation", "demand")
    for claim in claims:
        row = rows.setdefault(claim.organisation_id, {"name": claim.organisation.name, "claims": 0, "met": 0,
                                                      "waits": [], "demands": []})
        row["claims"] += 1
        row["waits"].append(max(dt.timedelta(0), claim.claimed_at - claim.demand.posted_at))
        if claim.state == ClaimState.CLOSED:
            row["met"] += 1
            row["demands"].append(claim.demand_id)
    records = []
    for row in rows.values():
        rated = Rating.objects.filter(demand_id__in=row["demands"])
        mean = rated.aggregate(mean=Avg("score"))["mean"]
        wait = sum(row["waits"], dt.timedelta(0)) / len(row["waits"])
        records.append(OrganisationRecord(row["name"], row["claims"], row["met"], round(wait.total_seconds() / 3600, 1),
                                          round(mean, 2) if mean is not None else None, rated.count()))
    return sorted(records, key=lambda r: (-r.met, r.name))
