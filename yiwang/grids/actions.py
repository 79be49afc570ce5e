"""Everything that changes grids, visits and problems. Pages, the API and Open311 call these.

Each step of the problem workflow (DOMAIN.md, 基层治理四平台 practice) is one function: it checks the
actor's grant on the problem's area, checks the state, checks that the problem is still at the version
the actor saw (no silent overwrite), changes it, appends a ProblemEvent and an audit event, all in one
transaction.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.areas.models import Area, Organisation, OrganisationKind, Team
from yiwang.audit.actions import record
from yiwang.core import errors, hooks, uploads
from yiwang.core.calendar import add_working_days as add_workdays
from yiwang.core.scope import get_scopes, user_can
from yiwang.grids.models import (
    Category,
    Channel,
    Grid,
    Photo,
    Problem,
    ProblemEvent,
    State,
    TaskState,
    Tier,
    Visit,
    VisitTask,
)

ACCEPT_WORKDAYS = 2
HANDLE_WORKDAYS = 7
MAX_PHOTOS = 6


class WorkflowError(errors.IllegalTransition):
    """A step that the problem's state or category does not allow; the message says why."""


class StaleProblem(errors.StaleVersion):
    """Someone else changed the problem since the actor loaded it."""


def get_district_code() -> str:
    """The county this deployment serves (setting YIWANG_DISTRICT)."""
    return settings.YIWANG_DISTRICT


def triage_area() -> Area:
    """Where problems that name no known grid wait for triage: the district itself."""
    try:
        return Area.objects.get(code=get_district_code())
    except Area.DoesNotExist:
        raise ImproperlyConfigured(
            f"YIWANG_DISTRICT={get_district_code()} is not a loaded division: load the division file "
            "(yiwang load_divisions) or correct the setting."
        ) from None


# ---------------------------------------------------------------------------------------------- photos


def check_photo(upload) -> str:
    """The photo's content type, read from its bytes by the one upload policy (core.uploads): a JPEG,
    PNG or WebP image within MAX_UPLOAD_MB, else InputError on "photos"."""
    refusal = _("Only JPEG, PNG or WebP photos are accepted.")
    return uploads.check_upload(upload, kinds=uploads.IMAGES, field="photos", refusal=refusal).content_type


def _save_photos(by, uploads, *, area_id, visit=None, problem=None) -> None:
    if len(uploads) > MAX_PHOTOS:
        raise errors.InputError({"photos": _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}})
    for upload in uploads:
        content_type = check_photo(upload)
        photo = Photo(area_id=area_id, visit=visit, problem=problem, content_type=content_type,
                      size=upload.size, uploaded_by=by if by and by.is_authenticated else None)
        photo.file.save("photo", upload, save=False)
        photo.save()


# ---------------------------------------------------------------------------------------------- visits


def get_grids_for_visits(user):
    """The grids `user` may log visits for."""
    return Grid.objects.visible_to(user, "grid.visit").filter(active=True)


def get_team_for(user, grid: Grid) -> Team | None:
    """The grid team a visit by `user` to `grid` counts for: the user's own team on that grid, else
    the grid's first team."""
    teams = list(grid.teams.filter(active=True).order_by("id"))
    for team in teams:
        if team.grid_members.filter(user=user).exists() or team.members.filter(pk=user.pk).exists():
            return team
    return teams[0] if teams else None


@dataclass
class ProblemDraft:
    """A problem reported together with a visit."""

    category: str
    description: str
    location: str = ""
    photos: tuple = ()


def do_log_visit(
    grid: Grid, *, by, date: datetime.date, households_visited: int, members=(), others_present: str = "",
    notes: str = "", location: str = "", latitude=None, longitude=None, photos=(), problems=(),
) -> Visit:
    """Log a team's visit to a grid and report the problems found on it. The visit fulfils the grid's
    task of the same week (any team's for this grid, the user's team first)."""
    if not user_can(by, "grid.visit", grid.area_id):
        raise errors.PermissionRefused(_("You may not log visits in this grid."))
    today = timezone.localdate()
    if date > today:
        raise errors.InputError({"date": _("A visit cannot be logged ahead of its date.")})
    team = get_team_for(by, grid)
    team_ids = set(grid.teams.values_list("id", flat=True))
    for member in members:
        if member.team_id not in team_ids:
            raise errors.InputError({"members": _("%(name)s is not on this grid's team.") % {"name": member.name}})
    with transaction.atomic():
        monday = date - datetime.timedelta(days=date.weekday())
        tasks = VisitTask.objects.select_for_update().filter(
            grid=grid, week_day__range=(monday, monday + datetime.timedelta(days=6))
        )
        task = tasks.filter(team=team).first() or tasks.order_by("id").first()
        visit = Visit(
            grid=grid, team=team, task=task, date=date, households_visited=households_visited,
            others_present=others_present, notes=notes, location=location, latitude=latitude,
            longitude=longitude, logged_by=by,
        )
        visit.save()
        hooks.visit_changed.call(None, visit)
        visit.members_present.set(members)
        _save_photos(by, photos, area_id=grid.area_id, visit=visit)
        if task is not None and task.state != TaskState.DONE:
            # A late visit still fulfils the week's task; the dates show it was late.
            task.state = TaskState.DONE
            task.save(update_fields=["state"])
        record(by, "grids.visit_logged", visit, households=households_visited, problems=len(problems))
        for draft in problems:
            do_report_problem(
                grid, by=by, category=draft.category, description=draft.description,
                location=draft.location or location, photos=draft.photos, visit=visit,
            )
    return visit


# ---------------------------------------------------------------------------------------------- reporting


def _check_report(category: str, description: str) -> None:
    problems = {}
    if category not in Category.values:
        problems["category"] = _("Choose a category.")
    if not (description or "").strip():
        problems["description"] = _("Describe the problem.")
    if problems:
        raise errors.InputError(problems)


def do_report_problem(
    grid: Grid, *, by, category: str, description: str, location: str = "", latitude=None, longitude=None,
    photos=(), visit: Visit | None = None,
) -> Problem:
    """Report a problem found on a grid. It must be accepted within two working days."""
    if not user_can(by, "grid.visit", grid.area_id):
        raise errors.PermissionRefused(_("You may not report problems in this grid."))
    _check_report(category, description)
    now = timezone.now()
    with transaction.atomic():
        problem = Problem.objects.create(
            category=category, description=description.strip(), grid=grid, area_id=grid.area_id,
            location=location, latitude=latitude, longitude=longitude, visit=visit,
            channel=Channel.VISIT if visit else Channel.WEB, reported_by=by,
            reporter_name=str(by), reported_at=now,
            accept_due=add_workdays(timezone.localdate(now), ACCEPT_WORKDAYS), updated_at=now,
        )
        hooks.problem_changed.call(None, problem)
        _save_photos(by, photos, area_id=grid.area_id, problem=problem)
        _event(problem, by, "reported", "", State.REPORTED)
        record(by, "grids.problem_reported", problem, category=category)
    return problem


def find_grid(address_id: str = "", address: str = "") -> Grid | None:
    """The grid a free-form location names: by grid code as address_id, or a grid code or the village
    and grid name (东靖社区居委会第1网格) inside the address. Anything else (coordinates only, an
    unknown address, a bare grid name) names no grid."""
    if address_id:
        grid = Grid.objects.filter(code=address_id.strip(), active=True).first()
        if grid:
            return grid
    if address:
        for token in address.replace("，", " ").replace(",", " ").split():
            grid = Grid.objects.filter(code=token, active=True).first()
            if grid:
                return grid
        # A grid name alone ("第1网格") is in every village: only the village's name with it is a match.
        for grid in Grid.objects.filter(active=True).select_related("area"):
            if f"{grid.area.name}{grid.name}" in address.replace(" ", ""):
                return grid
    return None


def do_receive_request(
    key, *, category: str, description: str, address: str = "", address_id: str = "", latitude=None,
    longitude=None, reporter_name: str = "", reporter_contact: str = "",
) -> Problem:
    """A problem reported by an Open311 client. It goes to the grid its location names, else to the
    district's triage queue: nothing is refused for lack of a grid."""
    _check_report(category, description)
    grid = find_grid(address_id, address)
    area_id = grid.area_id if grid else triage_area().code
    now = timezone.now()
    with transaction.atomic():
        problem = Problem.objects.create(
            category=category, description=description.strip(), grid=grid, area_id=area_id,
            location=address, latitude=latitude, longitude=longitude, channel=Channel.OPEN311,
            reporter_name=reporter_name, reporter_contact=reporter_contact, open311_key=key, reported_at=now,
            accept_due=add_workdays(timezone.localdate(now), ACCEPT_WORKDAYS), updated_at=now,
        )
        hooks.problem_changed.call(None, problem)
        actor_name = f"open311:{key.name}"
        _event(problem, None, "reported", "", State.REPORTED, actor_name=actor_name)
        record(None, "grids.problem_reported", problem, actor_name=actor_name, category=category,
               triage=grid is None)
    return problem


# ---------------------------------------------------------------------------------------------- workflow

# step: (action code needed, states it starts from, state it leads to, label). Who holds the code where:
#   grid.dispatch  centre staff where the problem's tier is coordinated (accept, dispatch, extensions, park)
#   grid.handle    the unit or team it is dispatched to (sign for, return, handle, feed back): a problem
#                  dispatched to a unit is handled only by accounts limited to that unit (`may_handle`)
#   grid.verify    whoever checks the result on site where the problem lies: the grid worker who found
#                  it, or centre staff (verify, close, or send it back to handling)
STEPS = {
    "accept": ("grid.dispatch", (State.REPORTED,), State.ACCEPTED, gettext_lazy("Accept")),
    "mark_invalid": ("grid.dispatch", (State.REPORTED,), State.INVALID, gettext_lazy("Mark invalid")),
    "dispatch": ("grid.dispatch", (State.ACCEPTED, State.RETURNED), State.DISPATCHED, gettext_lazy("Dispatch")),
    "sign_for": ("grid.handle", (State.DISPATCHED,), State.SIGNED_FOR, gettext_lazy("Sign for")),
    "return": ("grid.handle", (State.DISPATCHED, State.SIGNED_FOR), State.RETURNED, gettext_lazy("Return")),
    "start": ("grid.handle", (State.SIGNED_FOR,), State.IN_PROGRESS, gettext_lazy("Start handling")),
    "request_extension": (
        "grid.handle", (State.IN_PROGRESS,), State.EXTENSION_REQUESTED, gettext_lazy("Request extension"),
    ),
    "decide_extension": (
        "grid.dispatch", (State.EXTENSION_REQUESTED,), State.IN_PROGRESS, gettext_lazy("Decide extension"),
    ),
    "park": ("grid.dispatch", (State.IN_PROGRESS, State.EXTENSION_REQUESTED), State.PARKED, gettext_lazy("Park")),
    "unpark": ("grid.dispatch", (State.PARKED,), State.IN_PROGRESS, gettext_lazy("Resume")),
    "feed_back": ("grid.handle", (State.IN_PROGRESS,), State.FEEDBACK, gettext_lazy("Feed back")),
    "verify": ("grid.verify", (State.FEEDBACK,), State.VERIFYING, gettext_lazy("Verify on site")),
    "close": ("grid.verify", (State.VERIFYING,), State.CLOSED, gettext_lazy("Close")),
    "reject_verification": (
        "grid.verify", (State.VERIFYING,), State.IN_PROGRESS, gettext_lazy("Verification failed"),
    ),
    "refer_to_mediation": (
        "grid.dispatch", (State.REPORTED, State.ACCEPTED, State.RETURNED), State.REFERRED,
        gettext_lazy("Refer to mediation"),
    ),
}
# Steps only some categories may take.
STEP_CATEGORIES = {"refer_to_mediation": (Category.DISPUTE,)}


# Where a problem of each tier is coordinated (DOMAIN: 一般 village, 较大 the town's joint meeting,
# 重大 sent up to the district): the length of the division code whose staff take the dispatcher's steps.
TIER_COORDINATION_LENGTH = {Tier.MAJOR: 9, Tier.SERIOUS: 6}


def get_coordinating_area_code(problem: Problem) -> str:
    """The division whose staff accept, dispatch, verify and close `problem` at its tier: the problem's
    own area for a general one, its town for a major one, its district for a serious one."""
    length = TIER_COORDINATION_LENGTH.get(problem.tier)
    return problem.area_id[:length] if length and len(problem.area_id) > length else problem.area_id


def _acting_area_code(problem: Problem, action: str) -> str:
    """Handlers and verifiers act where the problem is; dispatchers where its tier is coordinated."""
    return get_coordinating_area_code(problem) if action == "grid.dispatch" else problem.area_id


def may_handle(user, problem: Problem) -> bool:
    """Whether `user` may take the handler's steps (grid.handle) on `problem`. A problem dispatched to a
    unit is that unit's: only a grid.handle grant limited to the unit (its accounts, the partner_unit
    role) over the problem's area reaches it, not the grid worker whose grant covers the village. One
    dispatched to a team is handled by holders of grid.handle over the area (the team's grid workers)."""
    scopes = get_scopes(user, "grid.handle")
    if scopes is None:
        return True
    covering = {organisation for code, organisation in scopes if problem.area_id.startswith(code)}
    if problem.assigned_organisation_id:
        return problem.assigned_organisation_id in covering
    return None in covering


def may_take(user, problem: Problem, action: str) -> bool:
    """Whether `user` holds `action` where a step needing it is taken on `problem` as it stands."""
    if action == "grid.handle":
        return may_handle(user, problem)
    return user_can(user, action, _acting_area_code(problem, action))


def get_available_steps(user, problem: Problem) -> list[str]:
    """The steps `user` may take on `problem` now, in STEPS order."""
    return [
        step for step, (action, sources, _target, _label) in STEPS.items()
        if problem.state in sources and may_take(user, problem, action)
        and problem.category in STEP_CATEGORIES.get(step, (problem.category,))
    ]


def _refusal(user, problem: Problem, action: str) -> str:
    """Why `user` may not take a step needing `action` on `problem`."""
    if action == "grid.handle" and problem.assigned_organisation_id:
        return _("This problem was dispatched to %(unit)s: the unit's own accounts sign for it and handle "
                 "it.") % {"unit": problem.assigned_organisation.name}
    if action == "grid.dispatch":
        return _("A problem of this tier is coordinated above your area.")
    return _("You may not do this for problems in this area.")


def _event(problem, by, verb, from_state, to_state, note: str = "", actor_name: str = "") -> None:
    authenticated = by is not None and by.is_authenticated
    ProblemEvent.objects.create(
        problem=problem, actor=by if authenticated else None,
        actor_name=str(by) if authenticated else actor_name, verb=verb, from_state=from_state,
        to_state=to_state, note=note,
    )


def _step(problem: Problem, step: str, *, by, version: int, note: str = "", prepare=None, **changes) -> Problem:
    """Take `step` on `problem` as `by`, who saw it at `version`; the shared body of every action.
    `prepare(current)`, when given, runs after the checks inside the transaction and returns more
    changes (work in another app that must commit or fail together with the step)."""
    action, sources, target, _label = STEPS[step]
    with transaction.atomic():
        current = Problem.objects.select_for_update().get(pk=problem.pk)
        if not user_can(by, action, current.area_id):
            raise errors.PermissionRefused(_("You may not do this for problems in this area."))
        # A stale form is told so before anything that may have changed with the problem (its tier, its unit).
        if current.version != version:
            raise StaleProblem(_("Someone else changed this problem meanwhile; reload it and try again."))
        if not may_take(by, current, action):
            raise errors.PermissionRefused(_refusal(by, current, action))
        if current.state not in sources:
            raise WorkflowError(
                _("A problem that is “%(state)s” cannot take this step.") % {"state": current.get_state_display()}
            )
        if current.category not in STEP_CATEGORIES.get(step, (current.category,)):
            raise WorkflowError(_("A problem of this category cannot take this step."))
        previous = current.state
        before = copy.copy(current)
        now = timezone.now()
        if prepare is not None:
            changes.update(prepare(current))
        for field, value in changes.items():
            setattr(current, field, value)
        current.state = target
        current.version += 1
        current.updated_at = now
        if target == State.CLOSED:
            current.closed_at = now
        current.save(update_fields=[*changes, "state", "version", "updated_at", "closed_at"])
        hooks.problem_changed.call(before, current)
        # Scope is checked again after the write: a step may move the problem (triage to a grid).
        if not user_can(by, action, current.area_id):
            raise errors.PermissionRefused(_("You may not move a problem into an area outside your grant."))
        _event(current, by, step, previous, target, note)
        record(by, f"grids.problem_{step}", current, from_state=previous, to_state=target, note=note)
    problem.__dict__.update(current.__dict__)
    return current


def _require(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise errors.InputError({field: message})
    return value.strip()


def get_accept_grids():
    """The grids a problem in triage may be placed in: the district's active grids."""
    return Grid.objects.filter(active=True, area__code__startswith=get_district_code()).select_related("area")


def do_accept(problem: Problem, *, by, version: int, tier: str = Tier.GENERAL, grid: Grid | None = None,
              note: str = "") -> Problem:
    """Accept a reported problem (受理): its handling deadline is seven working days from today. A
    problem in triage must be given its grid here."""
    if tier not in Tier.values:
        raise errors.InputError({"tier": _("Choose a tier.")})
    changes = {"tier": tier, "accepted_at": timezone.now(),
               "handle_due": add_workdays(timezone.localdate(), HANDLE_WORKDAYS)}
    if grid is not None:
        if not get_accept_grids().filter(pk=grid.pk).exists():
            raise errors.InputError({"grid": _("Choose one of the district's active grids.")})
        changes.update(grid=grid, area_id=grid.area_id)
    elif problem.grid_id is None:
        raise errors.InputError({"grid": _("Say which grid this problem lies in.")})
    return _step(problem, "accept", by=by, version=version, note=note, **changes)


def do_mark_invalid(problem: Problem, *, by, version: int, reason: str) -> Problem:
    """Refuse a report that is not a problem (duplicate, not in the district, not actionable)."""
    reason = _require(reason, "reason", _("Say why the report is invalid."))
    return _step(problem, "mark_invalid", by=by, version=version, note=reason)


def get_dispatch_targets(problem: Problem):
    """Units and teams a problem may be dispatched to: the district's active units (not banks or courts)
    and the active teams on the problem's own line of areas (district, town, village)."""
    codes = [problem.area_id[:n] for n in (6, 9, 12) if n <= len(problem.area_id)]
    organisations = Organisation.objects.filter(active=True).exclude(
        kind__in=[OrganisationKind.BANK, OrganisationKind.COURT]
    )
    teams = Team.objects.filter(active=True, area_id__in=codes)
    return organisations, teams


def do_dispatch(problem: Problem, *, by, version: int, organisation: Organisation | None = None,
                team: Team | None = None, note: str = "") -> Problem:
    """Dispatch (派遣) an accepted or returned problem to a unit or a team."""
    if (organisation is None) == (team is None):
        raise errors.InputError({"organisation": _("Dispatch to one unit or one team.")})
    # The page offers only these; a posted id must not reach a team in another town, a bank or a court.
    organisations, teams = get_dispatch_targets(problem)
    if organisation is not None and not organisations.filter(pk=organisation.pk).exists():
        raise errors.InputError({"organisation": _("This unit does not take grid problems.")})
    if team is not None and not teams.filter(pk=team.pk).exists():
        raise errors.InputError({"team": _("This team does not work where the problem lies.")})
    return _step(problem, "dispatch", by=by, version=version, note=note, assigned_organisation=organisation,
                 assigned_team=team)


def do_sign_for(problem: Problem, *, by, version: int, note: str = "") -> Problem:
    """The unit or team confirms it has received the dispatched problem (签收)."""
    return _step(problem, "sign_for", by=by, version=version, note=note)


def do_return(problem: Problem, *, by, version: int, reason: str) -> Problem:
    """Send a dispatched problem back: it is not ours (退回); the dispatcher dispatches it again."""
    reason = _require(reason, "reason", _("Say why the problem is returned."))
    return _step(problem, "return", by=by, version=version, note=reason, assigned_organisation=None, assigned_team=None)


def do_start(problem: Problem, *, by, version: int, note: str = "") -> Problem:
    """Start handling a signed-for problem."""
    return _step(problem, "start", by=by, version=version, note=note)


def do_request_extension(problem: Problem, *, by, version: int, days: int, reason: str) -> Problem:
    """Ask for more working days to handle the problem (申请延期)."""
    reason = _require(reason, "reason", _("Say why more time is needed."))
    if not days or not 1 <= int(days) <= 30:
        raise errors.InputError({"days": _("Ask for 1 to 30 working days.")})
    return _step(problem, "request_extension", by=by, version=version, note=reason, extension_days=int(days))


def do_decide_extension(problem: Problem, *, by, version: int, granted: bool, note: str = "") -> Problem:
    """Grant or refuse a requested extension; either way handling goes on."""
    changes = {"extension_days": None}
    if granted:
        base = max(problem.handle_due or timezone.localdate(), timezone.localdate())
        changes["handle_due"] = add_workdays(base, problem.extension_days or 0)
    note = (_("Extension granted.") if granted else _("Extension refused.")) + (f" {note}" if note else "")
    return _step(problem, "decide_extension", by=by, version=version, note=note.strip(), **changes)


def do_park(problem: Problem, *, by, version: int, reason: str) -> Problem:
    """Park a problem that cannot be solved now (挂账): it stays on the board, not overdue."""
    reason = _require(reason, "reason", _("Say why the problem cannot be solved now."))
    return _step(problem, "park", by=by, version=version, note=reason, parked_reason=reason)


def do_unpark(problem: Problem, *, by, version: int, note: str = "") -> Problem:
    """Take a parked problem up again."""
    return _step(problem, "unpark", by=by, version=version, note=note, parked_reason="")


def do_feed_back(problem: Problem, *, by, version: int, outcome: str) -> Problem:
    """Report what was done (反馈); the dispatcher then verifies it on site."""
    outcome = _require(outcome, "outcome", _("Say what was done."))
    return _step(problem, "feed_back", by=by, version=version, note=outcome, outcome=outcome)


def do_verify(problem: Problem, *, by, version: int, note: str = "") -> Problem:
    """Start verifying the fed-back result on site (核查)."""
    return _step(problem, "verify", by=by, version=version, note=note)


def do_close(problem: Problem, *, by, version: int, note: str = "") -> Problem:
    """Close a verified problem (办结): it counts as cleared today."""
    return _step(problem, "close", by=by, version=version, note=note)


def do_reject_verification(problem: Problem, *, by, version: int, reason: str) -> Problem:
    """Verification found the problem not solved: back to handling."""
    reason = _require(reason, "reason", _("Say what is still wrong."))
    return _step(problem, "reject_verification", by=by, version=version, note=reason)


def do_refer_to_mediation(
    problem: Problem, *, by, version: int, dispute_type, applicant_name: str, applicant_phone: str,
    respondent_name: str = "", claims: str = "", note: str = "",
) -> Problem:
    """A dispute found on a grid becomes a mediation case (channel "grid") in one step: the case is
    registered through the cases app's own action, which checks case.intake, and the two are linked
    both ways (problem.case, case.grid_problems). The problem then follows the case: it closes when
    the case reaches its outcome (follow_case, on the hook core.hooks.case_changed)."""
    from yiwang.cases.actions import do_register_case

    def register(current: Problem) -> dict:
        facts = current.description + (f"\n{_('Location')}: {current.location}" if current.location else "")
        respondents = [{"name": respondent_name.strip()}] if respondent_name.strip() else []
        # The case's refusals are core's (permission, input…): they leave as they are.
        case = do_register_case(
            by=by, channel="grid", dispute_type=dispute_type, area=current.area_id, facts=facts,
            claims=claims.strip() or current.description,
            applicants=[{"name": applicant_name.strip(), "phone": applicant_phone.strip()}],
            respondents=respondents,
        )
        return {"case": case, "assigned_team": case.team, "accepted_at": current.accepted_at or timezone.now()}

    text = note or _("Registered as a mediation case.")
    problem = _step(problem, "refer_to_mediation", by=by, version=version, note=text, prepare=register)
    ProblemEvent.objects.filter(problem=problem, verb="refer_to_mediation").update(
        note=f"{text} {problem.case.number}"
    )
    return problem


def do_follow_case(case) -> list[Problem]:
    """Bring the problems referred as `case` along with it: when the case closes, so do they, with the
    case's outcome; a case merged into another hands its problems to that one. Called when a case
    event changes its status; the actor is the case's, recorded as "cases"."""
    from yiwang.cases.models import CLOSED_STATUSES, Status

    if case.status not in CLOSED_STATUSES:
        return []
    followed = []
    for problem in Problem.objects.select_for_update().filter(case=case, state=State.REFERRED):
        now = timezone.now()
        before = copy.copy(problem)
        if case.status == Status.MERGED and case.merged_into_id:
            problem.case_id = case.merged_into_id
            problem.version += 1
            problem.updated_at = now
            problem.save(update_fields=["case", "version", "updated_at"])
            hooks.problem_changed.call(before, problem)
            note = _("The case was merged into another; following that one.")
            _event(problem, None, "case_merged", State.REFERRED, State.REFERRED, note, actor_name="cases")
        else:
            outcome = f"{case.number} {case.get_status_display()}"
            if case.outcome:
                outcome += f": {case.get_outcome_display()}"
            problem.state, problem.outcome, problem.closed_at = State.CLOSED, outcome, now
            problem.version += 1
            problem.updated_at = now
            problem.save(update_fields=["state", "outcome", "closed_at", "version", "updated_at"])
            hooks.problem_changed.call(before, problem)
            _event(problem, None, "case_closed", State.REFERRED, State.CLOSED, outcome, actor_name="cases")
        record(None, "grids.problem_followed_case", problem, actor_name="cases", case=case.number,
               case_status=case.status)
        followed.append(problem)
    return followed


def follow_case(case, event) -> None:
    """Hook core.hooks.case_changed: when a case's status moved, the problems referred as it follow."""
    if event.to_status and Problem.objects.filter(case_id=case.pk).exists():
        do_follow_case(case)


# ---------------------------------------------------------------------------------------------- one entry


def do_step(problem: Problem, step: str, data: dict, *, by) -> Problem:
    """Take `step` with the inputs of the problem page's form or the API (`data`: version, note, reason,
    grid, tier, organisation, team, days, granted, outcome and the referral's fields), in one
    transaction: the step and whatever it starts elsewhere commit or fail together."""
    with transaction.atomic():
        return _take_step(problem, step, data, by=by)


def _take_step(problem: Problem, step: str, data: dict, *, by) -> Problem:
    version = data["version"]
    note, reason = data.get("note") or "", data.get("reason") or ""
    if step == "accept":
        grid = Grid.objects.filter(code=data.get("grid")).first() if data.get("grid") else None
        if data.get("grid") and grid is None:
            raise errors.InputError({"grid": _("No such grid.")})
        return do_accept(problem, by=by, version=version, tier=data.get("tier") or "general",
                                 grid=grid, note=note)
    if step == "dispatch":
        organisation = Organisation.objects.filter(pk=data["organisation"]).first() if data.get("organisation") else None
        team = Team.objects.filter(pk=data["team"]).first() if data.get("team") else None
        return do_dispatch(problem, by=by, version=version, organisation=organisation, team=team, note=note)
    if step == "request_extension":
        return do_request_extension(problem, by=by, version=version, days=data.get("days"), reason=reason)
    if step == "decide_extension":
        return do_decide_extension(problem, by=by, version=version, granted=bool(data.get("granted")),
                                           note=note)
    if step == "refer_to_mediation":
        return do_refer_to_mediation(
            problem, by=by, version=version, dispute_type=data.get("dispute_type") or "",
            applicant_name=data.get("applicant_name") or "", applicant_phone=data.get("applicant_phone") or "",
            respondent_name=data.get("respondent_name") or "", claims=data.get("claims") or "", note=note,
        )
    if step == "feed_back":
        return do_feed_back(problem, by=by, version=version, outcome=data.get("outcome") or "")
    with_reason = {"mark_invalid": do_mark_invalid, "return": do_return, "park": do_park,
                   "reject_verification": do_reject_verification}
    if step in with_reason:
        return with_reason[step](problem, by=by, version=version, reason=reason)
    plain = {"sign_for": do_sign_for, "start": do_start, "unpark": do_unpark,
             "verify": do_verify, "close": do_close}
    return plain[step](problem, by=by, version=version, note=note)
