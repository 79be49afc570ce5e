"""The actions of 公益创投 (public-welfare venture projects): applying to a call, the panel's review,
funding in tranches, the mid-term and final evaluations. Pages and the API call these.

    do_open_call(*, by, area, title, budget, criteria, opens_on, closes_on, reviewers)   a call for proposals
    do_close_call(call, *, by)                                    applications closed, the panel reviews
    do_decide_call(call, *, by)                                   decided: the rest not funded, results public
    do_apply(call, *, by, applicant, title, summary, amount)      a social organisation applies (open call)
    do_declare_conflict(application, *, by, reason)               a panel member steps aside: left out
    do_review(application, *, by, scores)                         a panel member scores every criterion
    do_fund(application, *, by, tranches)                         funded in tranches (the mean of the panel's
                                                                  scores, without conflicts, is kept)
    do_pay_tranche(tranche, *, by)                                the last one only after a passed mid-term
    do_submit_report(application, *, by, stage, text)             the organisation's mid-term or final report
    do_record_midterm(application, *, by, passed, note)
    do_record_final(application, *, by, score)                    graded A ≥ 85, B 60–84, C < 60
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from yiwang.audit.actions import record
from yiwang.cobuild.actions import get_acting_organisations
from yiwang.cobuild.models import (
    ApplicationState,
    CallState,
    Grade,
    Review,
    SocialStatus,
    Tranche,
    VentureApplication,
    VentureCall,
)
from yiwang.core import errors
from yiwang.core.scope import user_can
from yiwang.core.versions import lock_at_version

MIN_REVIEWS = 2  # a panel's score needs at least two reviewers without a conflict


def get_grade(score: int) -> str:
    """A ≥ 85, B 60–84, C < 60."""
    return Grade.A if score >= 85 else Grade.B if score >= 60 else Grade.C


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise errors.InputError({field: _("Give an amount in yuan.")}) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise errors.InputError({field: _("Give a positive amount in yuan, to the fen.")})
    return amount


def _lock(application: VentureApplication, version):
    return lock_at_version(application, version, stale=lambda _row: errors.StaleVersion(
        _("Someone else changed this application meanwhile; reload it and try again.")))


def check_criteria(criteria) -> list[dict]:
    """Criteria as {"code", "name", "points"} with whole points adding up to 100; codes made when missing."""
    cleaned = []
    for number, item in enumerate(criteria or (), start=1):
        name = str(item.get("name") or "").strip()
        points = item.get("points")
        if not name or not isinstance(points, int) or points < 1:
            raise errors.InputError({"criteria": _("Give each criterion a name and whole points.")})
        cleaned.append({"code": str(item.get("code") or f"c{number}"), "name": name, "points": points})
    if not cleaned or sum(c["points"] for c in cleaned) != 100:
        raise errors.InputError({"criteria": _("The criteria's points must add up to 100.")})
    if len({c["code"] for c in cleaned}) != len(cleaned):
        raise errors.InputError({"criteria": _("Two criteria share a code.")})
    return cleaned


def do_open_call(*, by, area, title: str, budget, criteria, opens_on, closes_on, reviewers=()) -> VentureCall:
    """A district or street office opens a call for proposals (公益创投): its budget, the criteria the
    panel scores and the panel (at least MIN_REVIEWS members)."""
    import datetime as dt

    if not user_can(by, "cobuild.manage", area.code):
        raise errors.PermissionRefused(_("You may not open calls for this area."))
    if not (title or "").strip():
        raise errors.InputError({"title": _("Give the call a title.")})
    budget = _money(budget, "budget")
    criteria = check_criteria(criteria)
    if not isinstance(opens_on, dt.date) or not isinstance(closes_on, dt.date) or closes_on < opens_on:
        raise errors.InputError({"closes_on": _("The call closes before it opens.")})
    reviewers = list(reviewers)
    if len(reviewers) < MIN_REVIEWS:
        raise errors.InputError({"reviewers": _("Name at least %(n)s reviewers.") % {"n": MIN_REVIEWS}})
    with transaction.atomic():
        call = VentureCall.objects.create(title=title.strip(), area=area, budget=budget, criteria=criteria,
                                          opens_on=opens_on, closes_on=closes_on)
        call.reviewers.set(reviewers)
        record(by, "cobuilding.venture_call_opened", call, budget=str(budget), reviewers=len(reviewers))
    return call


def _lock_call(call, by, state, message):
    if not user_can(by, "cobuild.manage", call.area_id):
        raise errors.PermissionRefused(_("You may not run calls of this area."))
    current = VentureCall.objects.select_for_update().get(pk=call.pk)
    if current.state != state:
        raise errors.IllegalTransition(message)
    return current


def do_close_call(call: VentureCall, *, by) -> VentureCall:
    """Close a call for applications: the panel reviews what came in."""
    with transaction.atomic():
        current = _lock_call(call, by, CallState.OPEN, _("Only an open call is closed for applications."))
        current.state = CallState.REVIEWING
        current.save(update_fields=["state"])
        record(by, "cobuilding.venture_call_closed", current, applications=current.applications.count())
    call.__dict__.update(current.__dict__)
    return current


def do_decide_call(call: VentureCall, *, by) -> VentureCall:
    """Decide a call once reviewed: applications not funded by now are marked so, and the results
    page becomes public."""
    with transaction.atomic():
        current = _lock_call(call, by, CallState.REVIEWING, _("Only a call under review is decided."))
        unfunded = current.applications.filter(state=ApplicationState.SUBMITTED)
        count = unfunded.count()
        for application in unfunded:
            application.state = ApplicationState.NOT_FUNDED
            application.version += 1
            application.save(update_fields=["state", "version"])
        current.state = CallState.DECIDED
        current.save(update_fields=["state"])
        record(by, "cobuilding.venture_call_decided", current, not_funded=count)
    call.__dict__.update(current.__dict__)
    return current


def do_apply(call, *, by, applicant, title: str, summary: str, amount) -> VentureApplication:
    """A registered social organisation applies to an open call, through its own liaison."""
    if not (by.is_superuser or applicant.organisation_id in get_acting_organisations(by)):
        raise errors.PermissionRefused(_("You may apply only for your own organisation."))
    if call.state != CallState.OPEN:
        raise errors.IllegalTransition(_("The call is not open for applications."))
    if applicant.status not in (SocialStatus.ACTIVE, SocialStatus.INCUBATING):
        raise errors.IllegalTransition(_("Only an active social organisation may apply."))
    amount = _money(amount, "amount")
    if amount > call.budget:
        raise errors.InputError({"amount": _("The amount is more than the call's whole budget.")})
    if not (title or "").strip() or not (summary or "").strip():
        raise errors.InputError({"title": _("Give the project a title and a summary.")})
    with transaction.atomic():
        application = VentureApplication.objects.create(call=call, applicant=applicant, title=title.strip(),
                                                         summary=summary.strip(), amount=amount)
        record(by, "cobuilding.venture_applied", application, amount=str(amount))
    return application


def _check_panel(application: VentureApplication, by) -> None:
    if not application.call.reviewers.filter(pk=by.pk).exists():
        raise errors.PermissionRefused(_("Only the call's review panel reviews its applications."))
    if application.state != ApplicationState.SUBMITTED:
        raise errors.IllegalTransition(_("This application has been decided."))


def do_declare_conflict(application: VentureApplication, *, by, reason: str) -> Review:
    """A panel member declares a conflict of interest (a tie to the applicant): they score nothing and
    any scores they gave are withdrawn."""
    _check_panel(application, by)
    if not (reason or "").strip():
        raise errors.InputError({"reason": _("Say what ties you to the applicant.")})
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            application=application, reviewer=by,
            defaults={"conflict": True, "conflict_reason": reason.strip(), "scores": {}, "at": timezone.now()})
        record(by, "cobuilding.venture_conflict_declared", application)
    return review


def do_review(application: VentureApplication, *, by, scores: dict) -> Review:
    """A panel member scores every criterion of the call, each within its points."""
    _check_panel(application, by)
    if Review.objects.filter(application=application, reviewer=by, conflict=True).exists():
        raise errors.PermissionRefused(_("You declared a conflict of interest on this application."))
    criteria = {c["code"]: c for c in application.call.criteria}
    problems = {}
    if set(scores) != set(criteria):
        problems["scores"] = _("Score every criterion of the call, and only those.")
    for code, value in scores.items():
        if code in criteria and not (isinstance(value, int) and 0 <= value <= criteria[code]["points"]):
            problems[f"scores.{code}"] = _("Give %(name)s 0 to %(points)s points.") % criteria[code]
    if problems:
        raise errors.InputError(problems)
    with transaction.atomic():
        review, _created = Review.objects.update_or_create(
            application=application, reviewer=by, defaults={"scores": scores, "at": timezone.now()})
        record(by, "cobuilding.venture_reviewed", application, total=review.total)
    return review


def get_review_score(application: VentureApplication) -> Decimal | None:
    """The mean of the panel's totals, conflicts left out; None before MIN_REVIEWS have scored."""
    totals = [r.total for r in application.reviews.filter(conflict=False)]
    if len(totals) < MIN_REVIEWS:
        return None
    return (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"))


def do_fund(application: VentureApplication, *, by, tranches: list, version: int | None = None):
    """Fund an application in tranches that add up to what is granted, within what is left of the budget."""
    if not user_can(by, "cobuild.manage", application.area_id):
        raise errors.PermissionRefused(_("You may not fund applications of this call."))
    amounts = [_money(a, "tranches") for a in tranches]
    if len(amounts) < 2:
        raise errors.InputError({"tranches": _("Fund in at least two tranches: the last follows the mid-term.")})
    with transaction.atomic():
        current = _lock(application, version)
        if current.state != ApplicationState.SUBMITTED:
            raise errors.IllegalTransition(_("This application has been decided."))
        score = get_review_score(current)
        if score is None:
            raise errors.IllegalTransition(
                _("At least %(n)s panel members without a conflict must score it first.") % {"n": MIN_REVIEWS})
        granted = sum(amounts)
        if granted > current.amount:
            raise errors.InputError({"tranches": _("The tranches add up to more than was asked.")})
        spent = Tranche.objects.filter(application__call=current.call).aggregate(total=Sum("amount"))["total"] or 0
        if spent + granted > current.call.budget:
            raise errors.InputError({"tranches": _("The call's budget does not cover this grant.")})
        for number, amount in enumerate(amounts, start=1):
            Tranche.objects.create(application=current, number=number, amount=amount)
        current.state, current.review_score = ApplicationState.FUNDED, score
        current.version += 1
        current.save(update_fields=["state", "review_score", "version"])
        record(by, "cobuilding.venture_funded", current, granted=str(granted), score=str(score))
    application.__dict__.update(current.__dict__)
    return current


def do_pay_tranche(tranche: Tranche, *, by) -> Tranche:
    """Pay a tranche. The last is refused until the mid-term evaluation has passed."""
    application = tranche.application
    if not user_can(by, "cobuild.manage", application.area_id):
        raise errors.PermissionRefused(_("You may not pay tranches of this call."))
    with transaction.atomic():
        current = Tranche.objects.select_for_update().get(pk=tranche.pk)
        if current.paid_on:
            raise errors.IllegalTransition(_("This tranche has been paid."))
        last = not Tranche.objects.filter(application=application, number__gt=current.number).exists()
        if last and application.midterm_passed is not True:
            raise errors.IllegalTransition(_("The last tranche is paid only after a passed mid-term evaluation."))
        if Tranche.objects.filter(application=application, number__lt=current.number, paid_on__isnull=True).exists():
            raise errors.IllegalTransition(_("Pay the earlier tranches first."))
        current.paid_on = timezone.localdate()
        current.save(update_fields=["paid_on"])
        record(by, "cobuilding.venture_tranche_paid", application, number=current.number, amount=str(current.amount))
    tranche.__dict__.update(current.__dict__)
    return current


def do_submit_report(application: VentureApplication, *, by, stage: str, text: str,
                     version: int | None = None) -> VentureApplication:
    """The organisation reports on its funded project: "midterm" before the mid-term evaluation,
    "final" once it has passed; a report may be corrected until it is evaluated."""
    if not (by.is_superuser or application.applicant.organisation_id in get_acting_organisations(by)):
        raise errors.PermissionRefused(_("Only the organisation that runs the project reports on it."))
    if stage not in ("midterm", "final"):
        raise errors.InputError({"stage": _("Say which report this is.")})
    if not (text or "").strip():
        raise errors.InputError({"text": _("Say what the project has done.")})
    with transaction.atomic():
        current = _lock(application, version)
        if current.state != ApplicationState.FUNDED:
            raise errors.IllegalTransition(_("Only a funded project reports."))
        if stage == "midterm" and current.midterm_passed is not None:
            raise errors.IllegalTransition(_("The mid-term evaluation has been recorded."))
        if stage == "final" and current.midterm_passed is not True:
            raise errors.IllegalTransition(_("The final report follows a passed mid-term evaluation."))
        field = f"{stage}_report"
        setattr(current, field, text.strip())
        current.version += 1
        current.save(update_fields=[field, "version"])
        record(by, "cobuilding.venture_reported", current, stage=stage)
    application.__dict__.update(current.__dict__)
    return current


def do_record_midterm(application: VentureApplication, *, by, passed: bool, note: str,
                      version: int | None = None) -> VentureApplication:
    """Record the mid-term evaluation of a funded project."""
    if not user_can(by, "cobuild.manage", application.area_id):
        raise errors.PermissionRefused(_("You may not evaluate projects of this call."))
    if not (note or "").strip():
        raise errors.InputError({"note": _("Say what the evaluation found.")})
    with transaction.atomic():
        current = _lock(application, version)
        if current.state != ApplicationState.FUNDED:
            raise errors.IllegalTransition(_("Only a funded project is evaluated."))
        current.midterm_passed, current.midterm_note = bool(passed), note.strip()
        current.version += 1
        current.save(update_fields=["midterm_passed", "midterm_note", "version"])
        record(by, "cobuilding.venture_midterm", current, passed=bool(passed))
    application.__dict__.update(current.__dict__)
    return current


def do_record_final(application: VentureApplication, *, by, score: int,
                    version: int | None = None) -> VentureApplication:
    """Record the final evaluation (0–100): graded A ≥ 85, B 60–84, C < 60; the project is completed."""
    if not user_can(by, "cobuild.manage", application.area_id):
        raise errors.PermissionRefused(_("You may not evaluate projects of this call."))
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise errors.InputError({"score": _("Give a score from 0 to 100.")})
    with transaction.atomic():
        current = _lock(application, version)
        if current.state != ApplicationState.FUNDED or current.midterm_passed is None:
            raise errors.IllegalTransition(_("A project is finally evaluated after its mid-term evaluation."))
        current.final_score, current.grade = score, get_grade(score)
        current.state = ApplicationState.COMPLETED
        current.version += 1
        current.save(update_fields=["final_score", "grade", "state", "version"])
        record(by, "cobuilding.venture_final", current, score=score, grade=current.grade)
    application.__dict__.update(current.__dict__)
    return current


# step: label. What a page offers and what the API exposes as POST applications/{id}/<step>/.
APPLICATION_STEPS = {
    "review": pgettext_lazy("cobuild", "Score"),
    "conflict": pgettext_lazy("cobuild", "Declare a conflict of interest"),
    "fund": pgettext_lazy("cobuild", "Fund"),
    "pay": pgettext_lazy("cobuild", "Pay a tranche"),
    "report": pgettext_lazy("cobuild", "Submit a report"),
    "midterm": pgettext_lazy("cobuild", "Record the mid-term evaluation"),
    "final": pgettext_lazy("cobuild", "Record the final evaluation"),
}


def is_reviewer(user, call) -> bool:
    return bool(user and user.is_authenticated) and call.reviewers.filter(pk=user.pk).exists()


def get_available_application_steps(user, application: VentureApplication) -> list[str]:
    """The steps `user` may take on `application` now (what its page offers)."""
    steps = []
    call = application.call
    office = user_can(user, "cobuild.manage", application.area_id)
    runs = user.is_superuser or application.applicant.organisation_id in get_acting_organisations(user)
    state = application.state
    if state == ApplicationState.SUBMITTED and call.state != CallState.DECIDED and is_reviewer(user, call):
        conflicted = application.reviews.filter(reviewer=user, conflict=True).exists()
        steps += ["conflict"] if conflicted else ["review", "conflict"]
    if state == ApplicationState.SUBMITTED and office and call.state != CallState.DECIDED:
        steps.append("fund")
    if state == ApplicationState.FUNDED:
        if office and application.tranches.filter(paid_on__isnull=True).exists():
            steps.append("pay")
        if runs and application.midterm_passed is not False:
            steps.append("report")
        if office:
            steps.append("midterm" if application.midterm_passed is None else "final")
    return steps


def _whole(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise errors.InputError({field: _("Give a whole number.")}) from None


def do_application_step(application: VentureApplication, step: str, data: dict, *, by):
    """Take `step` with a page's or the API's inputs: scores ({code: points}), reason, tranches (amounts,
    a list or "18000,12000"), tranche (id), stage and text, passed and note, score; version where read."""
    version = data.get("version")
    if step == "review":
        scores = {code: _whole(value, f"scores.{code}") for code, value in (data.get("scores") or {}).items()}
        return do_review(application, by=by, scores=scores)
    if step == "conflict":
        return do_declare_conflict(application, by=by, reason=data.get("reason") or "")
    if step == "fund":
        tranches = data.get("tranches") or []
        if isinstance(tranches, str):
            tranches = [t for t in tranches.replace("，", ",").split(",") if t.strip()]
        return do_fund(application, by=by, tranches=[str(t).strip() for t in tranches], version=version)
    if step == "pay":
        tranche = application.tranches.filter(pk=data.get("tranche") or 0).first()
        if tranche is None:
            raise errors.InputError({"tranche": _("No such tranche of this application.")})
        return do_pay_tranche(tranche, by=by)
    if step == "report":
        return do_submit_report(application, by=by, stage=data.get("stage") or "", text=data.get("text") or "",
                                version=version)
    if step == "midterm":
        if data.get("passed") is None:
            raise errors.InputError({"passed": _("Say whether the mid-term evaluation passed.")})
        return do_record_midterm(application, by=by, passed=bool(data["passed"]), note=data.get("note") or "",
                                 version=version)
    if step == "final":
        return do_record_final(application, by=by, score=data.get("score"), version=version)
    raise errors.InputError({"step": _("No such step.")})
