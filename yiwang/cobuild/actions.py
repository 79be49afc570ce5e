"""Everything that changes the co-building lists. Pages, the API and the commands call these.

A demand's life is one table, STEPS: step → (permission, the demand states it starts from, the state
it leads to, label). A unit claims (认领) an open demand; the community confirms or declines the claim;
the unit reports the work with photos; the community closes it. Each step checks the actor's grant on
the demand (an organisation-limited grant reaches only the open demands and its own claims), the
state, and the version the actor saw, then writes the change and the audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yiwang.areas.models import Area, Organisation
from yiwang.audit.actions import record
from yiwang.cobuild.models import (
    ENDED_CLAIMS,
    Category,
    Claim,
    ClaimState,
    Demand,
    DemandState,
    ReportPhoto,
    Resource,
    ResourceKind,
)
from yiwang.core import errors, uploads
from yiwang.core.notices import Notice, announce
from yiwang.core.scope import get_grants, user_can, user_can_reach
from yiwang.core.versions import lock_at_version

MAX_PHOTOS = 6


class StaleDemand(errors.StaleVersion):
    """Someone else changed the demand since the actor loaded it."""


def _stale(_current) -> StaleDemand:
    return StaleDemand(_("Someone else changed this demand meanwhile; reload it and try again."))


# step: (permission, demand states it starts from, demand state it leads to, label)
STEPS = {
    "claim": ("cobuild.claim", (DemandState.OPEN,), DemandState.CLAIMED, pgettext_lazy("cobuild", "Claim")),
    "confirm": ("cobuild.post", (DemandState.CLAIMED,), DemandState.IN_PROGRESS, pgettext_lazy("cobuild", "Confirm the claim")),
    "decline": ("cobuild.post", (DemandState.CLAIMED,), DemandState.OPEN, pgettext_lazy("cobuild", "Decline the claim")),
    "report": ("cobuild.claim", (DemandState.IN_PROGRESS,), DemandState.REPORTED, pgettext_lazy("cobuild", "Report the work")),
    "close": ("cobuild.post", (DemandState.REPORTED,), DemandState.CLOSED, pgettext_lazy("cobuild", "Close")),
    "withdraw": ("cobuild.post", (DemandState.OPEN,), DemandState.WITHDRAWN, pgettext_lazy("cobuild", "Withdraw")),
}
# The steps a unit takes for its own claim: only the claiming organisation's people may take them.
UNIT_STEPS = ("report",)


def get_acting_organisations(user, area_code: str | None = None) -> list[int]:
    """The organisations `user` may claim for on `area_code` (anywhere, when None): those named on
    grants carrying cobuild.claim that cover the area."""
    if user is None or not user.is_authenticated:
        return []
    return sorted({g.organisation_id for g in get_grants(user)
                   if g.organisation_id and "cobuild.claim" in g.role.actions
                   and (area_code is None or area_code.startswith(g.area_id))})


def _may_act_for_claim(user, claim: Claim) -> bool:
    return user.is_superuser or claim.organisation_id in get_acting_organisations(user, claim.area_id)


def get_available_steps(user, demand: Demand) -> list[str]:
    """The steps `user` may take on `demand` now, in STEPS order."""
    claim = demand.current_claim() if demand.state != DemandState.OPEN else None
    steps = []
    for step, (permission, sources, _target, _label) in STEPS.items():
        if demand.state not in sources or not user_can_reach(user, permission, demand):
            continue
        if step == "claim" and not (user.is_superuser or get_acting_organisations(user, demand.area_id)):
            continue
        if step in UNIT_STEPS and not (claim and _may_act_for_claim(user, claim)):
            continue
        steps.append(step)
    return steps


# ----------------------------------------------------------------------------------------------- posting


def _check_demand_fields(*, title, description, category, size, needed_from, needed_until, contact_name,
                         contact_phone) -> None:
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Give the demand a title.")
    if not (description or "").strip():
        problems["description"] = _("Describe what is needed.")
    if category not in Category.values:
        problems["category"] = _("Choose a category.")
    if not isinstance(size, int) or size < 1:
        problems["size"] = _("Say how many people, households or hours the need comes to.")
    if not isinstance(needed_from, dt.date) or not isinstance(needed_until, dt.date):
        problems["needed_until"] = _("Give the time window as two dates.")
    elif needed_until < needed_from:
        problems["needed_until"] = _("The window ends before it starts.")
    if not (contact_name or "").strip():
        problems["contact_name"] = _("Name the contact.")
    phone = (contact_phone or "").strip()
    if not (phone.isdigit() and 7 <= len(phone) <= 12) and not (phone.replace("-", "").isdigit() and "-" in phone):
        problems["contact_phone"] = _("Give the contact's telephone number.")
    if problems:
        raise errors.InputError(problems)


def do_post_demand(*, by, area: Area, title: str, description: str, category: str, size: int,
                   needed_from: dt.date, needed_until: dt.date, contact_name: str, contact_phone: str,
                   problem=None) -> Demand:
    """Post a community's demand (需求清单). Community staff post for their own community; a demand raised
    from a grid problem keeps the problem (linked both ways: demand.problem, problem.cobuild_demand)."""
    if not user_can(by, "cobuild.post", area.code):
        raise errors.PermissionRefused(_("You may not post demands for this community."))
    if area.level != "village":
        raise errors.InputError({"area": _("A demand belongs to one community or village.")})
    _check_demand_fields(title=title, description=description, category=category, size=size,
                         needed_from=needed_from, needed_until=needed_until, contact_name=contact_name,
                         contact_phone=contact_phone)
    with transaction.atomic():
        demand = Demand.objects.create(
            title=title.strip(), description=description.strip(), category=category, area=area, size=size,
            needed_from=needed_from, needed_until=needed_until, contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(), problem=problem, posted_by=by, posted_at=timezone.now(),
        )
        record(by, "cobuilding.demand_posted", demand, category=category, problem=problem.pk if problem else None)
    return demand


def do_raise_from_problem(problem, *, by, title: str = "", category: str = Category.DIFFICULTY, size: int = 1,
                          needed_from=None, needed_until=None, contact_name: str = "", contact_phone: str = "") -> Demand:
    """A livelihood need found on a grid becomes a demand in one step, in the problem's community,
    described as the problem was. The problem page then shows the demand and, in time, its closure."""
    from yiwang.grids.models import Category as ProblemCategory
    from yiwang.grids.models import Problem

    with transaction.atomic():
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        if current.category != ProblemCategory.LIVELIHOOD:
            raise errors.IllegalTransition(_("Only a livelihood need found on a grid becomes a demand."))
        if Demand.objects.filter(problem=current).exists():
            raise errors.IllegalTransition(_("This problem is already on the demand list."))
        area = Area.objects.get(code=current.area_id)
        today = timezone.localdate()
        return do_post_demand(
            by=by, area=area, title=(title or current.description[:40]).strip(), description=current.description,
            category=category, size=size, needed_from=needed_from or today,
            needed_until=needed_until or today + dt.timedelta(days=30),
            contact_name=contact_name or current.reporter_name or str(by),
            contact_phone=contact_phone or current.reporter_contact or getattr(by, "phone", ""), problem=current,
        )


def _check_resource_fields(*, kind, title, categories, capacity, available_from, available_until) -> None:
    problems = {}
    if kind not in ResourceKind.values:
        problems["kind"] = _("Choose a kind of resource.")
    if not (title or "").strip():
        problems["title"] = _("Give the resource a title.")
    if not categories or any(c not in Category.values for c in categories):
        problems["categories"] = _("Choose the demand categories this resource meets.")
    if not isinstance(capacity, int) or capacity < 1:
        problems["capacity"] = _("Give the capacity as a positive number.")
    if not isinstance(available_from, dt.date) or not isinstance(available_until, dt.date):
        problems["available_until"] = _("Give the availability as two dates.")
    elif available_until < available_from:
        problems["available_until"] = _("The availability ends before it starts.")
    if problems:
        raise errors.InputError(problems)


def do_offer_resource(*, by, organisation: Organisation, kind: str, title: str, categories: list[str],
                      capacity: int, available_from: dt.date, available_until: dt.date,
                      description: str = "") -> Resource:
    """A unit or social organisation puts a resource on the list (资源清单), located where it is."""
    if not (by.is_superuser or organisation.pk in get_acting_organisations(by, organisation.area_id)):
        raise errors.PermissionRefused(_("You may offer resources only for your own unit or organisation."))
    _check_resource_fields(kind=kind, title=title, categories=categories, capacity=capacity,
                           available_from=available_from, available_until=available_until)
    with transaction.atomic():
        resource = Resource.objects.create(
            organisation=organisation, area_id=organisation.area_id, kind=kind, title=title.strip(),
            description=(description or "").strip(), categories=list(dict.fromkeys(categories)),
            capacity=capacity, available_from=available_from, available_until=available_until,
        )
        record(by, "cobuilding.resource_offered", resource, kind=kind)
    return resource


# ----------------------------------------------------------------------------------------------- the claim


def _begin(demand: Demand, step: str, *, by, version: int | None) -> Demand:
    """Inside the caller's transaction: the demand's row locked at `version`, after the permission and
    state checks of `step`."""
    permission, sources, _target, _label = STEPS[step]
    current = lock_at_version(demand, version, stale=_stale)
    if not user_can_reach(by, permission, current):
        raise errors.PermissionRefused(_("You may not do this for demands of this community."))
    if current.state not in sources:
        raise errors.IllegalTransition(
            _("A demand that is “%(state)s” cannot take this step.") % {"state": current.get_state_display()})
    return current


def _finish(current: Demand, step: str, *, by, claim: Claim | None, **detail) -> Demand:
    previous = current.state
    current.state = STEPS[step][2]
    current.version += 1
    if current.state == DemandState.CLOSED:
        current.closed_at = timezone.now()
    current.save(update_fields=["state", "version", "closed_at"])
    record(by, f"cobuilding.demand_{step}", current, from_state=previous, to_state=current.state,
           claim=claim.pk if claim else None, **detail)
    return current


def do_claim(demand: Demand, *, by, version: int | None = None, organisation: Organisation | None = None,
             resource: Resource | None = None, note: str = "") -> Claim:
    """A unit or social organisation claims (认领) an open demand, optionally naming the resource it
    brings; the community then confirms or declines. A person acting for several organisations names
    which one claims."""
    acting = get_acting_organisations(by, demand.area_id)
    if not (acting or by.is_superuser):
        raise errors.PermissionRefused(_("Only a unit or social organisation claims demands."))
    if organisation is None:
        if len(acting) != 1:
            raise errors.InputError({"organisation": _("Say which unit or organisation claims the demand.")})
        organisation = Organisation.objects.get(pk=acting[0])
    elif not (by.is_superuser or organisation.pk in acting):
        raise errors.PermissionRefused(_("You may claim only for your own unit or organisation."))
    if resource is not None and resource.organisation_id != organisation.pk:
        raise errors.InputError({"resource": _("The resource must be the claiming organisation's own.")})
    with transaction.atomic():
        current = _begin(demand, "claim", by=by, version=version)
        try:
            with transaction.atomic():
                claim = Claim.objects.create(demand=current, organisation=organisation, resource=resource,
                                             claimed_by=by, claimed_at=timezone.now(), note=(note or "").strip())
        except IntegrityError:  # another claim won the race for the row after ours was read
            raise errors.IllegalTransition(_("Another unit has just claimed this demand.")) from None
        _finish(current, "claim", by=by, claim=claim, organisation=organisation.pk)
        announce(Notice(
            kind="cobuilding.claimed", key=f"cobuilding.claimed:{claim.pk}", area_code=current.area_id,
            permission="cobuild.post", url=reverse("cobuild:demand_detail", args=[current.pk]), about=current,
            text=_("%(org)s claimed the demand “%(title)s”: please confirm.") % {
                "org": organisation.name, "title": current.title},
        ))
    demand.__dict__.update(current.__dict__)
    return claim


def _claim_step(demand: Demand, step: str, *, by, version, claim_state: str, changes: dict, photos=(),
                **detail) -> Claim:
    with transaction.atomic():
        current = _begin(demand, step, by=by, version=version)
        claim = Claim.objects.select_for_update().exclude(state__in=ENDED_CLAIMS).get(demand=current)
        if step in UNIT_STEPS and not _may_act_for_claim(by, claim):
            raise errors.PermissionRefused(_("Only the claiming unit reports its work."))
        claim.state = claim_state
        for field, value in changes.items():
            setattr(claim, field, value)
        claim.save(update_fields=["state", *changes])
        _finish(current, step, by=by, claim=claim, **detail)
        _save_photos(claim, photos)
    demand.__dict__.update(current.__dict__)
    return claim


def do_confirm(demand: Demand, *, by, version: int | None = None) -> Claim:
    """The community confirms a unit's claim: the work may start."""
    return _claim_step(demand, "confirm", by=by, version=version, claim_state=ClaimState.CONFIRMED,
                       changes={"confirmed_at": timezone.now()})


def do_decline(demand: Demand, *, by, version: int | None = None, reason: str = "") -> Claim:
    """The community declines a claim (the unit cannot meet the need as offered): the demand is open again."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.InputError({"reason": _("Say why the claim is declined.")})
    return _claim_step(demand, "decline", by=by, version=version, claim_state=ClaimState.DECLINED,
                       changes={"reason": reason})


def check_photos(photos) -> list[uploads.Kind]:
    """Each photo's kind by the one upload policy (core.uploads): JPEG, PNG or WebP, within the size limit."""
    if len(photos) > MAX_PHOTOS:
        raise errors.InputError({"photos": _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}})
    refusal = _("Only JPEG, PNG or WebP photos are accepted.")
    return [uploads.check_upload(p, kinds=uploads.IMAGES, field="photos", refusal=refusal) for p in photos]


def _save_photo_files(photos, *, area_id: str, claim: Claim | None = None, milestone=None) -> None:
    """Store (upload, kind) pairs already checked by check_photos, for a claim's report or a milestone."""
    for upload, kind in photos:
        photo = ReportPhoto(claim=claim, milestone=milestone, area_id=area_id, content_type=kind.content_type,
                            extension=kind.extension, size=upload.size)
        photo.file.save("photo", upload, save=False)
        photo.save()


def _save_photos(claim: Claim, photos) -> None:
    _save_photo_files(photos, area_id=claim.area_id, claim=claim)


def do_report(demand: Demand, *, by, version: int | None = None, report: str, photos=()) -> Claim:
    """The claiming unit reports what it did (a sales fair, a livestream, the hours served), with photos."""
    report = (report or "").strip()
    if not report:
        raise errors.InputError({"report": _("Say what was done.")})
    kinds = check_photos(list(photos))  # checked before anything is written: bad input saves nothing
    return _claim_step(demand, "report", by=by, version=version, claim_state=ClaimState.REPORTED,
                       changes={"report": report, "reported_at": timezone.now()},
                       photos=list(zip(photos, kinds, strict=True)), photo_count=len(kinds))


def do_close(demand: Demand, *, by, version: int | None = None, note: str = "") -> Claim:
    """The community closes the demand: the need was met. A grid problem it came from shows the closure."""
    return _claim_step(demand, "close", by=by, version=version, claim_state=ClaimState.CLOSED,
                       changes={"closed_at": timezone.now()}, note=(note or "").strip())


def do_withdraw(demand: Demand, *, by, version: int | None = None, reason: str = "") -> Demand:
    """The community withdraws an open demand (met otherwise, no longer needed)."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.InputError({"reason": _("Say why the demand is withdrawn.")})
    with transaction.atomic():
        current = _begin(demand, "withdraw", by=by, version=version)
        _finish(current, "withdraw", by=by, claim=None, reason=reason)
    demand.__dict__.update(current.__dict__)
    return current


def do_step(demand: Demand, step: str, data: dict, *, by):
    """Take `step` with a page's or the API's inputs (version, organisation, resource, note, reason,
    report, photos)."""
    version = data.get("version")
    if step == "claim":
        organisation = resource = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(pk=data["organisation"]).first()
            if organisation is None:
                raise errors.InputError({"organisation": _("No such organisation.")})
        if data.get("resource"):
            resource = Resource.objects.filter(pk=data["resource"], active=True).first()
            if resource is None:
                raise errors.InputError({"resource": _("No such resource.")})
        return do_claim(demand, by=by, version=version, organisation=organisation, resource=resource,
                        note=data.get("note") or "")
    if step == "report":
        return do_report(demand, by=by, version=version, report=data.get("report") or "",
                         photos=data.get("photos") or ())
    if step in ("decline", "withdraw"):
        return {"decline": do_decline, "withdraw": do_withdraw}[step](
            demand, by=by, version=version, reason=data.get("reason") or "")
    if step == "close":
        return do_close(demand, by=by, version=version, note=data.get("note") or "")
    return do_confirm(demand, by=by, version=version)


# ----------------------------------------------------------------------------------------------- escalation


def do_escalate_unclaimed(*, now: dt.datetime | None = None) -> list[Demand]:
    """Demands still unclaimed COBUILD_ESCALATE_DAYS after they were posted go to their street: the
    street's co-building staff are told. Each demand escalates once, so running it again does nothing."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.COBUILD_ESCALATE_DAYS)
    escalated = []
    with transaction.atomic():
        due = Demand.objects.select_for_update().filter(state=DemandState.OPEN, escalated_at__isnull=True,
                                                        posted_at__lte=cutoff)
        for demand in due:
            demand.escalated_at = now
            demand.version += 1
            demand.save(update_fields=["escalated_at", "version"])
            record(None, "cobuilding.demand_escalated", demand, actor_name="cobuild", street=demand.street_code)
            announce(Notice(
                kind="cobuilding.escalated", key=f"cobuilding.escalated:{demand.pk}", area_code=demand.street_code,
                permission="cobuild.manage", url=reverse("cobuild:demand_detail", args=[demand.pk]), about=demand,
                text=_("The demand “%(title)s” has had no claim for %(days)s days.") % {
                    "title": demand.title, "days": settings.COBUILD_ESCALATE_DAYS},
            ))
            escalated.append(demand)
    return escalated


# ----------------------------------------------------------------------------------------------- pairing


def do_pair(*, by, unit: Organisation, area: Area, party_organisation: str, membership: str,
            starts_on: dt.date, ends_on: dt.date, unit_contact: str, area_contact: str, commitments: str):
    """Record a signed pairing agreement (结对共建) between a district unit and a street's or community's
    Party organisation."""
    from yiwang.cobuild.models import Membership, Pairing

    if not user_can(by, "cobuild.manage", area.code):
        raise errors.PermissionRefused(_("You may not record pairings for this area."))
    problems = {}
    if unit.kind != "district_unit":
        problems["unit"] = _("Only a district unit is paired.")
    if area.level not in ("township", "village"):
        problems["area"] = _("A unit is paired with a street or a community.")
    if membership not in Membership.values:
        problems["membership"] = _("Choose how the unit takes part.")
    for field, value in (("party_organisation", party_organisation), ("unit_contact", unit_contact),
                         ("area_contact", area_contact), ("commitments", commitments)):
        if not (value or "").strip():
            problems[field] = _("This is part of the agreement.")
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date) or ends_on < starts_on:
        problems["ends_on"] = _("The agreement ends before it starts.")
    if Pairing.objects.filter(unit=unit, area=area).exists():
        problems["unit"] = _("This unit is already paired here: renew the agreement instead.")
    if problems:
        raise errors.InputError(problems)
    with transaction.atomic():
        pairing = Pairing.objects.create(
            unit=unit, area=area, party_organisation=party_organisation.strip(), membership=membership,
            starts_on=starts_on, ends_on=ends_on, unit_contact=unit_contact.strip(),
            area_contact=area_contact.strip(), commitments=commitments.strip())
        record(by, "cobuilding.paired", pairing, unit=unit.pk)
    return pairing


def _a_year_later(day: dt.date) -> dt.date:
    # 29 February has no twin next year: the agreement then runs to 28 February.
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def do_renew_pairing(pairing, *, by, version: int | None = None, commitments: str = ""):
    """Renew a pairing for another year (年度续签) from the day its agreement ends; new commitments, when
    given, replace the old."""
    with transaction.atomic():
        current = lock_at_version(pairing, version, stale=lambda _row: errors.StaleVersion(
            _("Someone else changed this pairing meanwhile; reload it and try again.")))
        if not user_can(by, "cobuild.manage", current.area_id):
            raise errors.PermissionRefused(_("You may not renew pairings for this area."))
        current.ends_on = _a_year_later(current.ends_on)
        if (commitments or "").strip():
            current.commitments = commitments.strip()
        current.renewals += 1
        current.version += 1
        current.save(update_fields=["ends_on", "commitments", "renewals", "version"])
        record(by, "cobuilding.pairing_renewed", current, until=current.ends_on.isoformat())
    pairing.__dict__.update(current.__dict__)
    return current


def do_record_pairing_work(pairing, *, by, date: dt.date, text: str, hours: int = 0):
    """Record what a pairing did. The unit's own people or the area's co-building staff record it."""
    from yiwang.cobuild.models import PairingRecord

    if not (user_can(by, "cobuild.manage", pairing.area_id)
            or pairing.unit_id in get_acting_organisations(by, pairing.area_id)):
        raise errors.PermissionRefused(_("You may not record work for this pairing."))
    if not (text or "").strip():
        raise errors.InputError({"text": _("Say what was done.")})
    if not isinstance(date, dt.date) or date > timezone.localdate():
        raise errors.InputError({"date": _("Give the day it was done (not a day ahead).")})
    with transaction.atomic():
        item = PairingRecord.objects.create(pairing=pairing, date=date, text=text.strip(), hours=max(0, int(hours)),
                                            recorded_by=by)
        record(by, "cobuilding.pairing_work_recorded", pairing, record=item.pk, hours=item.hours)
    return item


# ------------------------------------------------------------------------------------ social organisations

CREDIT_CODE_REFUSALS = {
    "length": gettext_lazy("A unified social credit code has 18 characters."),
    "alphabet": gettext_lazy("A unified social credit code uses digits and capitals other than I, O, S, V and Z."),
    "authority": gettext_lazy("The first character names no registration authority."),
    "division": gettext_lazy("Characters 3 to 8 must be a division code."),
    "organisation_code": gettext_lazy("The organisation code inside (characters 9 to 17) fails its check."),
    "check": gettext_lazy("The check character (the last) does not match: a character is mistyped."),
}


def check_social_credit_code(value: str):
    """The parsed code of a body registered with 民政 (first character 5), else InputError on credit_code."""
    from yiwang.cobuild.creditcode import CreditCodeError, parse_credit_code

    try:
        parsed = parse_credit_code(value)
    except CreditCodeError as error:
        raise errors.InputError({"credit_code": str(CREDIT_CODE_REFUSALS[error.reason])}) from None
    if parsed.social_kind is None:
        raise errors.InputError({"credit_code": _("This code is not of a body registered with civil affairs (民政).")})
    return parsed


def do_register_social_organisation(*, by, name: str, area: Area, credit_code: str, registration_authority: str,
                                    registered_on: dt.date, field: str, party_organisation: str = "",
                                    incubated: bool = False):
    """Put a social organisation on the registry; its kind is what its credit code says (社会团体,
    民办非企业单位, 基金会), and it becomes an organisation that can offer resources and claim demands."""
    from yiwang.areas.models import OrganisationKind
    from yiwang.cobuild.models import SocialOrganisation, SocialStatus

    if not user_can(by, "cobuild.manage", area.code):
        raise errors.PermissionRefused(_("You may not register social organisations for this area."))
    parsed = check_social_credit_code(credit_code)
    problems = {}
    if not (name or "").strip():
        problems["name"] = _("Give the organisation's registered name.")
    if not (registration_authority or "").strip():
        problems["registration_authority"] = _("Name the registration authority.")
    if not (field or "").strip():
        problems["field"] = _("Say what field the organisation works in.")
    if not isinstance(registered_on, dt.date) or registered_on > timezone.localdate():
        problems["registered_on"] = _("Give the registration date (not a day ahead).")
    if SocialOrganisation.objects.filter(credit_code=parsed.code).exists():
        problems["credit_code"] = _("An organisation with this code is already on the registry.")
    if problems:
        raise errors.InputError(problems)
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name.strip(), kind=OrganisationKind.SOCIAL, area=area,
                                                   credit_code=parsed.code)
        social = SocialOrganisation.objects.create(
            organisation=organisation, area=area, credit_code=parsed.code, kind=parsed.social_kind,
            registration_authority=registration_authority.strip(), registered_on=registered_on, field=field.strip(),
            party_organisation=(party_organisation or "").strip(), incubated=bool(incubated),
            status=SocialStatus.INCUBATING if incubated else SocialStatus.ACTIVE)
        record(by, "cobuilding.social_registered", social, kind=social.kind)
    return social


def do_record_inspection(social, *, by, year: int, result: str):
    """Record a yearly inspection (年检); recording the same year again corrects its result."""
    from yiwang.cobuild.models import InspectionResult, YearlyInspection

    if not user_can(by, "cobuild.manage", social.area_id):
        raise errors.PermissionRefused(_("You may not record inspections for this area."))
    if result not in InspectionResult.values:
        raise errors.InputError({"result": _("Choose a result.")})
    if not isinstance(year, int) or not social.registered_on.year <= year <= timezone.localdate().year:
        raise errors.InputError({"year": _("Give a year since the registration, not ahead.")})
    with transaction.atomic():
        inspection, _created = YearlyInspection.objects.update_or_create(social=social, year=year,
                                                                        defaults={"result": result})
        record(by, "cobuilding.inspection_recorded", social, year=year, result=result)
    return inspection


def do_update_social_organisation(social, *, by, version: int | None = None, registration_authority: str,
                                  field: str, party_organisation: str = "", incubated: bool = False,
                                  status: str):
    """Correct a registry entry and set where the organisation stands: incubating at the 社会组织党群服务中心
    (培育孵化), active once it has left incubation, suspended, or deregistered (final). The credit code and
    the kind read from it do not change: a new code is a new registration."""
    from yiwang.cobuild.models import SocialStatus

    problems = {}
    if not (registration_authority or "").strip():
        problems["registration_authority"] = _("Name the registration authority.")
    if not (field or "").strip():
        problems["field"] = _("Say what field the organisation works in.")
    if status not in SocialStatus.values:
        problems["status"] = _("Choose a status.")
    if problems:
        raise errors.InputError(problems)
    incubated = bool(incubated) or status == SocialStatus.INCUBATING
    with transaction.atomic():
        current = lock_at_version(social, version, stale=lambda _row: errors.StaleVersion(
            _("Someone else changed this organisation meanwhile; reload it and try again.")))
        if not user_can(by, "cobuild.manage", current.area_id):
            raise errors.PermissionRefused(_("You may not keep the registry for this area."))
        if current.status == SocialStatus.DEREGISTERED:
            raise errors.IllegalTransition(_("A deregistered organisation is no longer changed."))
        previous = current.status
        current.registration_authority = registration_authority.strip()
        current.field = field.strip()
        current.party_organisation = (party_organisation or "").strip()
        current.incubated, current.status = incubated, status
        current.version += 1
        current.save(update_fields=["registration_authority", "field", "party_organisation", "incubated", "status",
                                    "version"])
        if status == SocialStatus.DEREGISTERED and current.organisation.active:
            current.organisation.active = False  # it claims and offers nothing any more
            current.organisation.save(update_fields=["active"])
        record(by, "cobuilding.social_updated", current, from_status=previous, to_status=status, incubated=incubated)
    social.__dict__.update(current.__dict__)
    return current


def do_record_title(area: Area, *, by, level: str, year: int):
    """Record a 民主法治示范村（社区） title of a village or community, with its level and year; recording
    the same level again corrects its year."""
    from yiwang.cobuild.models import DemocracyTitle, TitleLevel

    if not user_can(by, "cobuild.manage", area.code):
        raise errors.PermissionRefused(_("You may not record titles for this area."))
    if area.level != "village":
        raise errors.InputError({"area": _("The title is held by a village or community.")})
    if level not in TitleLevel.values:
        raise errors.InputError({"level": _("Choose the level of the title.")})
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year:
        raise errors.InputError({"year": _("Give the year it was awarded (not ahead).")})
    with transaction.atomic():
        title, _created = DemocracyTitle.objects.update_or_create(area=area, level=level, defaults={"year": year})
        record(by, "cobuilding.title_recorded", title, level=level, year=year)
    return title
