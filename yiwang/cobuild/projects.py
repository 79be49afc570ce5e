"""The actions of the project list (项目清单): a joint project's life, one table like a demand's.

    do_plan_project(*, by, area, title, lead, starts_on, ends_on, milestones, …)   the office plans it
    do_project_step(project, step, data, *, by)                                     a page's or the API's step
    do_start_project(project, *, by, version)                                      the lead unit starts it
    do_complete_milestone(milestone, *, by, version, report, photos)               a milestone done, with evidence
    do_finish_project(project, *, by, version, report)                             every milestone done: finished
    do_evaluate_project(project, *, by, version, score, evaluation)                the office grades it

STEPS: step → (who, the stages it starts from, the stage it leads to, label). "lead" steps are taken by
the people acting for the project's lead unit or by the area's co-building office (cobuild.manage);
"office" steps by the office only. Each checks the actor, the stage and the version the actor saw, and
writes the change and its audit event in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from yiwang.areas.models import Area, Organisation
from yiwang.audit.actions import record
from yiwang.cobuild.actions import _save_photo_files, check_photos, get_acting_organisations
from yiwang.cobuild.models import Demand, Milestone, Project, ProjectStage, Resource
from yiwang.core import errors
from yiwang.core.scope import user_can, user_can_reach
from yiwang.core.versions import lock_at_version

LEAD, OFFICE = "lead", "office"
STEPS = {
    "start": (LEAD, (ProjectStage.PLANNED,), ProjectStage.RUNNING, pgettext_lazy("cobuild", "Start the project")),
    "milestone": (LEAD, (ProjectStage.RUNNING,), ProjectStage.RUNNING, pgettext_lazy("cobuild", "Report a milestone done")),
    "finish": (LEAD, (ProjectStage.RUNNING,), ProjectStage.COMPLETED, pgettext_lazy("cobuild", "Finish the project")),
    "evaluate": (OFFICE, (ProjectStage.COMPLETED,), ProjectStage.EVALUATED, pgettext_lazy("cobuild", "Evaluate")),
}
MAX_MILESTONES = 12


def _is_office(user, project: Project) -> bool:
    return user_can(user, "cobuild.manage", project.area_id)


def _is_lead(user, project: Project) -> bool:
    return user.is_superuser or project.lead_id in get_acting_organisations(user, project.area_id)


def _may(user, who: str, project: Project) -> bool:
    if not user_can_reach(user, "cobuild.view", project):
        return False
    return _is_office(user, project) or (who == LEAD and _is_lead(user, project))


def get_available_steps(user, project: Project) -> list[str]:
    """The steps `user` may take on `project` now, in STEPS order."""
    steps = []
    for step, (who, sources, _target, _label) in STEPS.items():
        if project.stage in sources and _may(user, who, project):
            open_milestones = project.milestones.filter(done_on__isnull=True).exists()
            if (step == "milestone" and not open_milestones) or (step == "finish" and open_milestones):
                continue
            steps.append(step)
    return steps


def _stale(_row):
    return errors.StaleVersion(_("Someone else changed this project meanwhile; reload it and try again."))


def _begin(project: Project, step: str, *, by, version) -> Project:
    who, sources, _target, _label = STEPS[step]
    current = lock_at_version(project, version, stale=_stale)
    if not _may(by, who, current):
        raise errors.PermissionRefused(
            _("Only the project's lead unit or the co-building office does this.") if who == LEAD
            else _("Only the co-building office of the area evaluates a project."))
    if current.stage not in sources:
        raise errors.IllegalTransition(
            _("A project that is “%(stage)s” cannot take this step.") % {"stage": current.get_stage_display()})
    return current


def _finish(project: Project, current: Project, step: str, *, by, fields: list[str], **detail) -> Project:
    previous = current.stage
    current.stage = STEPS[step][2]
    current.version += 1
    current.save(update_fields=["stage", "version", *fields])
    record(by, f"cobuilding.project_{step}", current, from_stage=previous, to_stage=current.stage, **detail)
    project.__dict__.update(current.__dict__)
    return current


# --------------------------------------------------------------------------------------------- planning


def _check_milestones(milestones, starts_on, ends_on) -> list[tuple[str, dt.date]]:
    cleaned = []
    for title, due in milestones or ():
        title = (title or "").strip()
        if not title and due is None:
            continue
        if not title or not isinstance(due, dt.date):
            raise errors.InputError({"milestones": _("Give each milestone a title and a due date.")})
        if isinstance(starts_on, dt.date) and isinstance(ends_on, dt.date) and not starts_on <= due <= ends_on:
            raise errors.InputError({"milestones": _("A milestone falls due within the project's period.")})
        cleaned.append((title, due))
    if not cleaned:
        raise errors.InputError({"milestones": _("Plan at least one milestone.")})
    if len(cleaned) > MAX_MILESTONES:
        raise errors.InputError({"milestones": _("At most %(n)s milestones.") % {"n": MAX_MILESTONES}})
    return sorted(cleaned, key=lambda m: m[1])


def do_plan_project(*, by, area: Area, title: str, lead: Organisation, starts_on: dt.date, ends_on: dt.date,
                    milestones, description: str = "", demands=(), resources=()) -> Project:
    """The co-building office plans a joint project in its area: the lead unit, the period, the
    milestones (title, due), and the demands it meets and resources it uses, from the same area."""
    if not user_can(by, "cobuild.manage", area.code):
        raise errors.PermissionRefused(_("You may not plan projects for this area."))
    problems = {}
    if not (title or "").strip():
        problems["title"] = _("Give the project a title.")
    if lead.kind not in ("district_unit", "social") or not lead.active:
        problems["lead"] = _("A district unit or social organisation leads a project.")
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date) or ends_on < starts_on:
        problems["ends_on"] = _("The project ends before it starts.")
    if problems:
        raise errors.InputError(problems)
    planned = _check_milestones(milestones, starts_on, ends_on)
    demands, resources = list(demands), list(resources)
    if any(not d.area_id.startswith(area.code) for d in demands):
        raise errors.InputError({"demands": _("The demands met must be of the project's area.")})
    if any(not r.active for r in resources):
        raise errors.InputError({"resources": _("Only resources on the list are used.")})
    with transaction.atomic():
        project = Project.objects.create(title=title.strip(), description=(description or "").strip(), area=area,
                                         lead=lead, starts_on=starts_on, ends_on=ends_on)
        for milestone_title, due in planned:
            Milestone.objects.create(project=project, title=milestone_title, due=due)
        project.demands.set(demands)
        project.resources.set(resources)
        record(by, "cobuilding.project_planned", project, lead=lead.pk, milestones=len(planned))
    return project


# --------------------------------------------------------------------------------------------- the steps


def do_start_project(project: Project, *, by, version: int | None = None) -> Project:
    """The lead unit starts a planned project."""
    with transaction.atomic():
        current = _begin(project, "start", by=by, version=version)
        current.started_on = timezone.localdate()
        return _finish(project, current, "start", by=by, fields=["started_on"])


def do_complete_milestone(milestone: Milestone, *, by, version: int | None = None, report: str,
                          photos=()) -> Milestone:
    """The lead unit reports a milestone done, with what was done as evidence and photos of it."""
    report = (report or "").strip()
    if not report:
        raise errors.InputError({"report": _("Say what was done.")})
    photos = list(photos)
    kinds = check_photos(photos)  # checked before anything is written
    project = milestone.project
    with transaction.atomic():
        current = _begin(project, "milestone", by=by, version=version)
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.done_on:
            raise errors.IllegalTransition(_("This milestone is already done."))
        locked.done_on, locked.report = timezone.localdate(), report
        locked.save(update_fields=["done_on", "report"])
        _save_photo_files(list(zip(photos, kinds, strict=True)), area_id=current.area_id, milestone=locked)
        _finish(project, current, "milestone", by=by, fields=[], milestone=locked.pk, photo_count=len(kinds))
    milestone.__dict__.update(locked.__dict__)
    return locked


def do_finish_project(project: Project, *, by, version: int | None = None, report: str) -> Project:
    """The lead unit finishes the project with its final report, once every milestone is done; residents
    may then rate it on the community's page."""
    report = (report or "").strip()
    if not report:
        raise errors.InputError({"report": _("Give the final report.")})
    with transaction.atomic():
        current = _begin(project, "finish", by=by, version=version)
        if current.milestones.filter(done_on__isnull=True).exists():
            raise errors.IllegalTransition(_("Every milestone must be done before the project is finished."))
        current.finished_on, current.final_report = timezone.localdate(), report
        return _finish(project, current, "finish", by=by, fields=["finished_on", "final_report"])


def do_evaluate_project(project: Project, *, by, version: int | None = None, score, evaluation: str) -> Project:
    """The co-building office evaluates a finished project (0–100): graded A ≥ 85, B 60–84, C < 60."""
    from yiwang.cobuild.venture import get_grade

    evaluation = (evaluation or "").strip()
    if not isinstance(score, int) or not 0 <= score <= 100:
        raise errors.InputError({"score": _("Give a score from 0 to 100.")})
    if not evaluation:
        raise errors.InputError({"evaluation": _("Say what the evaluation found.")})
    with transaction.atomic():
        current = _begin(project, "evaluate", by=by, version=version)
        current.evaluation_score, current.grade, current.evaluation = score, get_grade(score), evaluation
        return _finish(project, current, "evaluate", by=by, fields=["evaluation_score", "grade", "evaluation"],
                       score=score, grade=current.grade)


def do_project_step(project: Project, step: str, data: dict, *, by):
    """Take `step` with a page's or the API's inputs (version, milestone, report, photos, score, evaluation)."""
    version = data.get("version")
    if step == "start":
        return do_start_project(project, by=by, version=version)
    if step == "milestone":
        milestone = project.milestones.filter(pk=data.get("milestone") or 0).first()
        if milestone is None:
            raise errors.InputError({"milestone": _("Choose a milestone of this project.")})
        return do_complete_milestone(milestone, by=by, version=version, report=data.get("report") or "",
                                     photos=data.get("photos") or ())
    if step == "finish":
        return do_finish_project(project, by=by, version=version, report=data.get("report") or "")
    return do_evaluate_project(project, by=by, version=version, score=data.get("score"),
                               evaluation=data.get("evaluation") or "")


def get_plan_choices(user, area: Area | None = None):
    """What a planning form offers: the areas the user plans for, lead organisations, open demands of
    those areas and active resources."""
    areas = Area.objects.visible_to(user, "cobuild.manage").filter(level__in=["county", "township", "village"])
    leads = Organisation.objects.filter(active=True, kind__in=["district_unit", "social"]).order_by("kind", "name")
    demands = Demand.objects.visible_to(user, "cobuild.manage").exclude(state="withdrawn")
    resources = Resource.objects.filter(active=True).select_related("organisation")
    return areas, leads, demands, resources
