"""What a case event, a grid problem or a finished job tells people: the hooks' handlers.

    on_case_changed(case, event)       core.hooks.case_changed: staff notices (core.notices, delivered
                                       by delivery.py) and citizens' SMS (sms.py templates)
    on_problem_changed(old, problem)   core.hooks.problem_changed: dispatched to a unit → its people
    on_job_finished(job)               core.hooks.job_finished: the starter

One message per person per event: every notice and SMS key names the event (or, for an assignment, the
case and the person, so naming more mediators later does not tell the first ones twice).

The parties hear of every step of their case: registered, accepted or not (with where to go instead),
the mediator named (or changed after a recusal), mediation opened, a session recorded, the deadline
extended, the agreement recorded, the court's confirmation, mediation ended, withdrawn, referred and the
receiving body's case number, followed up.

What the citizen side (yiwang.online) already texts is not repeated here: the online filing (with the
link and a code), an invitation, a session scheduled or called off, the agreement up for signing (with
the link) and sealed, and a respondent's refusal to the applicants.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yiwang.core.notices import Notice, announce
from yiwang.notifications import kinds, sms
from yiwang.notifications.models import Subscription

APPLICANTS = ("applicant",)


def _name(user) -> str:
    return (user.display_name or user.get_username()) if user else ""


def get_centre_staff(case, permission: str = "case.route") -> list:
    """The people of the case's responsible centre: grants carrying `permission` on the centre's own area."""
    from yiwang.accounts.models import Grant

    grants = Grant.objects.select_related("role", "user").filter(area_id=case.centre.area_id, user__is_active=True)
    return sorted({g.user for g in grants if permission in g.role.actions}, key=lambda u: u.pk)


def get_active_mediators(case) -> list:
    return [a.mediator for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator")
            .order_by("assigned_at", "pk")]


def _case_notice(case, event, kind: str, text: str, recipients, *, key: str | None = None,
                 urgent=False) -> Notice | None:
    """The notice to `recipients` about this event, or None when there is nobody to tell."""
    recipients = list(recipients)
    if not recipients:
        return None
    return Notice(kind=kind, text=text, key=key or f"{kind}:{event.pk}", recipients=tuple(recipients),
                  url=reverse("cases:detail", args=[case.pk]), about=case, area_code=case.area_id, urgent=urgent,
                  detail={"actor_id": event.actor_id, "event": event.pk, "followers": False})


def get_staff_notices(case, event) -> list[Notice]:
    """The notices to named staff that this event calls for (followers aside)."""
    kind, number = event.kind, case.number
    notices = []
    if kind == "registered" and case.channel == "online":
        notices.append(_case_notice(case, event, kinds.FILED_ONLINE.code, _(
            "Case %(number)s was filed online and waits for acceptance.") % {"number": number},
            get_centre_staff(case)))
    elif kind == "assigned":
        for mediator in get_active_mediators(case):
            notices.append(_case_notice(case, event, kinds.ASSIGNED.code, _(
                "Case %(number)s (%(type)s) was assigned to you by %(by)s.") % {
                "number": number, "type": case.dispute_type.name, "by": event.actor_name},
                [mediator], key=f"case.assigned:{case.pk}:{mediator.pk}"))
    elif kind in ("escalated", "delegated"):
        people = get_centre_staff(case)
        if case.lead_leader_id and kind == "escalated":
            people.append(case.lead_leader)
        notices.append(_case_notice(case, event, kinds.ESCALATED.code, _(
            "Case %(number)s was handed to %(centre)s by %(from)s: %(reason)s") % {
            "number": number, "centre": case.centre.name, "from": event.detail.get("from_centre", ""),
            "reason": event.reason}, people))
    elif kind == "supervised" and case.owner_id:
        notices.append(_case_notice(case, event, kinds.SUPERVISED.code, _(
            "督办 on case %(number)s from %(by)s: %(note)s Deadline %(deadline)s.") % {
            "number": number, "by": event.actor_name, "note": event.reason,
            "deadline": event.detail.get("deadline", "")}, [case.owner], urgent=True))
    elif kind in ("respondent_accepted", "mediation_refused", "party_rated") and event.detail.get("channel") == "online":
        people = {case.owner, *get_active_mediators(case)} - {None}
        notices.append(_case_notice(case, event, kinds.PARTY_MESSAGE.code, _(
            "Case %(number)s: %(what)s") % {"number": number, "what": event.get_kind_display()},
            sorted(people, key=lambda u: u.pk)))
    return [notice for notice in notices if notice is not None]


def get_follower_notice(case, event, told: set[int]) -> Notice | None:
    """Everyone following the case (or, for a new case, its area × type) who was not told already."""
    from django.db.models import Q

    from yiwang.core.codes import ancestor_codes

    following = Q(case=case)
    if event.kind == "registered":  # and, for a new case, its area (any type, or this type): one query
        following |= Q(case__isnull=True, area_id__in=ancestor_codes(case.area_id)) & (
            Q(dispute_type__isnull=True) | Q(dispute_type_id=case.dispute_type_id))
    followers = set(Subscription.objects.filter(following).values_list("user_id", flat=True))
    followers -= told
    if not followers:
        return None
    from django.contrib.auth import get_user_model

    kind = kinds.REGISTERED.code if event.kind == "registered" else kinds.FOLLOWED.code
    text = _("Case %(number)s: %(what)s (%(by)s)") % {
        "number": case.number, "what": event.get_kind_display(), "by": event.actor_name}
    return _case_notice(case, event, kind, text, get_user_model().objects.filter(pk__in=followers).order_by("pk"))


def text_citizens(case, event) -> None:
    """The parties' SMS for this event (templates in sms.py); nothing for what online already sends."""
    kind, key = event.kind, f"notifications.{event.kind}:{event.pk}"
    if kind == "registered" and case.channel != "online":
        sms.text_parties(case, "case_registered", {}, key=key, roles=APPLICANTS)
    elif kind == "accepted":
        sms.text_parties(case, "case_accepted", {}, key=key, roles=APPLICANTS)
    elif kind == "not_accepted":
        redirect = event.detail.get("redirect") or case.not_accepted_redirect or _("the centre's advice")
        sms.text_parties(case, "case_not_accepted", {"redirect": redirect}, key=key, roles=APPLICANTS)
    elif kind == "assigned" and case.owner_id:
        # Keyed by the lead mediator: adding a second mediator later tells the parties nothing new.
        sms.text_parties(case, "mediator_named", {"mediator": _name(case.owner)},
                         key=f"notifications.mediator_named:{case.pk}:{case.owner_id}")
    elif kind in ("escalated", "delegated"):
        sms.text_parties(case, "case_moved", {}, key=key, roles=APPLICANTS)
    elif kind == "agreement_recorded" and case.channel != "online" and hasattr(case, "agreement"):
        # Signed on paper at the centre; online the parties sign remotely and online tells them.
        agreement = case.agreement
        sms.text_parties(case, "agreement_recorded", {"effective_on": agreement.effective_on.isoformat(),
                                                      "deadline": agreement.performance_deadline.isoformat()}, key=key)
    elif kind == "confirmation_decided":
        accepted = getattr(getattr(case, "agreement", None), "confirmation_accepted", None)
        result = _("confirmed by the court") if accepted else _("not confirmed by the court")
        sms.text_parties(case, "confirmation_decided", {"result": result}, key=key)
    elif kind == "terminated":
        sms.text_parties(case, "mediation_ended", {}, key=key)
    elif kind == "followed_up":
        sms.text_parties(case, "followed_up", {}, key=key)
    else:
        text_citizens_during_mediation(case, event, key)


def text_citizens_during_mediation(case, event, key: str) -> None:
    """The parties' SMS for the steps between the mediator's naming and the outcome: mediation opened (with
    its deadline), a session recorded, the deadline extended, a mediator recused (and who leads now), the
    case withdrawn, referred to a court or another body, and that body's case number."""
    kind = event.kind
    if kind == "mediation_started" and case.mediation_deadline:
        sms.text_parties(case, "mediation_started", {"deadline": case.mediation_deadline.isoformat()}, key=key)
    elif kind == "session_recorded":
        from yiwang.cases.models import MediationSession

        session = MediationSession.objects.filter(pk=event.detail.get("session"), case=case).first()
        if session is not None:
            held_on = timezone.localtime(session.held_at).date().isoformat()
            sms.text_parties(case, "session_recorded", {"held_on": held_on}, key=key)
    elif kind == "extended" and case.mediation_deadline:
        sms.text_parties(case, "mediation_extended", {"deadline": case.mediation_deadline.isoformat()}, key=key)
    elif kind == "recused":
        if get_active_mediators(case) and case.owner_id:
            # The same key as a naming: a lead the parties already know of is not announced twice.
            sms.text_parties(case, "mediator_changed", {"mediator": _name(case.owner)},
                             key=f"notifications.mediator_named:{case.pk}:{case.owner_id}")
        else:
            sms.text_parties(case, "mediator_recused", {}, key=key)
    elif kind == "withdrawn":
        sms.text_parties(case, "case_withdrawn", {}, key=key)
    elif kind == "referred":
        sms.text_parties(case, "case_referred", {"body": event.detail.get("body", "")}, key=key)
    elif kind == "referral_result":
        referral = case.referrals.select_related("body").order_by("-referred_at", "-id").first()
        body = referral.body.name if referral is not None and referral.body_id else ""
        sms.text_parties(case, "referral_filed", {"body": body, "external": event.detail.get("external_number", "")},
                         key=key)


def on_case_changed(case, event) -> None:
    """Hook core.hooks.case_changed (inside the case action's transaction)."""
    with translation.override(settings.LANGUAGE_CODE):
        notices = get_staff_notices(case, event)
        told = {getattr(user, "pk", user) for notice in notices for user in notice.recipients}
        follower = get_follower_notice(case, event, told | {event.actor_id})
        for notice in [*notices, *([follower] if follower else [])]:
            announce(notice)
        text_citizens(case, event)


def on_problem_changed(old, problem) -> None:
    """Hook core.hooks.problem_changed: a problem dispatched to a unit tells the unit's people (grants
    limited to that organisation, carrying grid.handle); one dispatched to a grid team, its members who
    sign in. Each dispatch once (keyed by the problem's version)."""
    if problem.state != "dispatched" or (old is not None and old.state == "dispatched"):
        return
    from django.db.models import Q

    from yiwang.accounts.models import Grant, User

    people: set = set()
    if problem.assigned_organisation_id:
        grants = Grant.objects.select_related("role", "user").filter(
            organisation_id=problem.assigned_organisation_id, user__is_active=True)
        people |= {g.user for g in grants if "grid.handle" in g.role.actions}
    if problem.assigned_team_id:
        # A team's people are its members (areas) and the grid roster's members who sign in.
        team = Q(teams=problem.assigned_team_id) | Q(teammember__team_id=problem.assigned_team_id)
        people |= set(User.objects.filter(team, is_active=True).distinct())
    if not people:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Grid problem %(number)s was dispatched to your unit: %(what)s") % {
            "number": problem.pk, "what": problem.description[:100]}
    announce(Notice(kind=kinds.DISPATCHED.code, text=text, key=f"grid.dispatched:{problem.pk}:{problem.version}",
                    recipients=tuple(sorted(people, key=lambda u: u.pk)),
                    url=reverse("grids:problem_detail", args=[problem.pk]), about=problem, area_code=problem.area_id))


def on_job_finished(job) -> None:
    """Hook core.hooks.job_finished: the starter hears that their export or batch ended."""
    with translation.override(settings.LANGUAGE_CODE):
        if job.status == "succeeded":
            text = _("Your job %(kind)s finished.") % {"kind": job.kind}
        else:
            text = _("Your job %(kind)s failed: %(error)s") % {"kind": job.kind, "error": job.error[:200]}
    announce(Notice(kind=kinds.JOB_FINISHED.code, text=text, key=f"job.finished:{job.pk}", recipients=(job.started_by,),
                    url=reverse("core:job_detail", args=[job.pk])))
