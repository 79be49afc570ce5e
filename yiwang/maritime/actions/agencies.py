"""Joint handling with the maritime agencies: tasks given to an agency on a case (due in working days),
done by its own officers; services attached to a case for a party, followed to their outcome."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Grant
from yiwang.core.audit import record
from yiwang.core.calendar import add_working_days
from yiwang.core.errors import IllegalTransition, InputError, PermissionRefused, StaleVersion
from yiwang.core.notices import Notice, announce
from yiwang.core.scope import get_grants, user_can, user_can_reach
from yiwang.core.versions import lock_at_version
from yiwang.maritime.actions.records import _check_coordinate
from yiwang.maritime.models import (
    Agency,
    AgencyTask,
    MaritimeRecord,
    Service,
    ServiceKind,
    ServiceStatus,
    TaskStatus,
)

MAX_TASK_DAYS = 60


class StaleTask(StaleVersion):
    def __init__(self, task):
        super().__init__(_("Someone changed this item since you opened it; reload and try again."))


def get_agency_officers(agency: Agency):
    """The active users whose grants are limited to the agency and carry sea.task."""
    from yiwang.accounts.models import User

    ids = [g.user_id for g in Grant.objects.filter(organisation=agency.organisation, user__is_active=True)
           .select_related("role") if "sea.task" in g.role.actions]
    return User.objects.filter(pk__in=ids)


@transaction.atomic
def do_give_task(record_: MaritimeRecord, *, by, agency, title: str, working_days) -> AgencyTask:
    """Give an agency a task on the case, due `working_days` working days from today (core.calendar); the
    agency takes part in the case from then on, and its officers see it (need-to-know) and are told."""
    case = record_.case
    _check_coordinate(case, by)
    errors = {}
    if not isinstance(agency, Agency):
        agency = Agency.objects.filter(pk=agency, active=True).first() if str(agency or "").isdigit() else None
    if agency is None or not agency.active:
        errors["agency"] = [_("Choose one of the maritime agencies.")]
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Say what the agency is to do.")]
    elif len(title) > 200:
        errors["title"] = [_("At most %(n)s characters.") % {"n": 200}]
    try:
        working_days = int(working_days)
        if not 1 <= working_days <= MAX_TASK_DAYS:
            raise ValueError
    except (TypeError, ValueError):
        errors["working_days"] = [_("Give the time allowed in working days, 1 to %(n)s.") % {"n": MAX_TASK_DAYS}]
    if errors:
        raise InputError(errors)
    if not case.is_open:
        raise IllegalTransition(_("The case is closed."))
    task = AgencyTask.objects.create(
        record=record_, area_id=record_.area_id, agency=agency, title=title, working_days=working_days, created_by=by,
        due=add_working_days(timezone.localdate(), working_days))
    record(by, "maritime.task_given", task, case=case.number, agency=str(agency), due=task.due.isoformat())
    officers = tuple(get_agency_officers(agency))
    if officers:
        announce(Notice(kind="maritime.task_given", key=f"maritime.task_given:{task.pk}", recipients=officers,
                        text=_("%(case)s: %(title)s (due %(due)s)") % {"case": case.number, "title": title,
                                                                       "due": task.due.isoformat()},
                        url=f"/maritime/tasks/{task.pk}/", about=task))
    return task


def _check_task_hand(task: AgencyTask, by) -> None:
    """The agency's own officers do its tasks; the coordinating centre may record them on its behalf."""
    if not user_can_reach(by, "sea.view", task):
        raise PermissionRefused(_("This task does not exist."))
    own = any(g.organisation_id == task.agency.organisation_id and "sea.task" in g.role.actions
              and task.area_id.startswith(g.area_id) for g in get_grants(by))
    if not (own or user_can(by, "sea.coordinate", task.record.area_id)):
        raise PermissionRefused(_("Only the agency's officers or the coordinating centre may complete this task."))


@transaction.atomic
def do_complete_task(task: AgencyTask, *, by, outcome: str, version=None) -> AgencyTask:
    """The agency reports the task done, with what it found or did."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    task = lock_at_version(task, version, stale=StaleTask)
    _check_task_hand(task, by)
    if task.status != TaskStatus.OPEN:
        raise IllegalTransition(_("This task is no longer open."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise InputError({"outcome": _("Say what was done or found.")})
    task.status, task.outcome, task.done_at, task.done_by = TaskStatus.DONE, outcome, timezone.now(), by
    task.version += 1
    task.save(update_fields=["status", "outcome", "done_at", "done_by", "version"])
    record(by, "maritime.task_done", task, case=task.record.case.number, late=task.done_at.date() > task.due)
    return task


@transaction.atomic
def do_attach_service(record_: MaritimeRecord, *, by, kind: str, note: str = "") -> Service:
    """Start a service for the case's party: insurance claim support, legal aid, filing at the maritime
    court online, a seafarer's wage claim. One open service of a kind per case."""
    _check_coordinate(record_.case, by, "case.mediate")
    if kind not in ServiceKind.values:
        raise InputError({"kind": _("Choose a service.")})
    if record_.services.filter(kind=kind, status=ServiceStatus.OPEN).exists():
        raise IllegalTransition(_("This service is already in progress on the case."))
    service = Service.objects.create(record=record_, area_id=record_.area_id, kind=kind, note=(note or "").strip()[:200])
    record(by, "maritime.service_attached", service, case=record_.case.number, kind=kind)
    return service


@transaction.atomic
def do_record_service_outcome(service: Service, *, by, status: str, outcome: str, amount=None,
                              version=None) -> Service:
    """End a service with its outcome (obtained, not obtained, withdrawn) and any amount obtained."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    service = lock_at_version(service, version, stale=StaleTask)
    _check_coordinate(service.record.case, by, "case.mediate")
    if service.status != ServiceStatus.OPEN:
        raise IllegalTransition(_("This service has already ended."))
    errors = {}
    if status not in (ServiceStatus.SUCCEEDED, ServiceStatus.FAILED, ServiceStatus.WITHDRAWN):
        errors["status"] = [_("Choose how the service ended.")]
    outcome = (outcome or "").strip()
    if not outcome:
        errors["outcome"] = [_("Say how the service ended.")]
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
            if amount < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["amount"] = [_("Enter an amount in yuan, zero or more.")]
    else:
        amount = None
    if errors:
        raise InputError(errors)
    service.status, service.outcome, service.amount, service.finished_at = status, outcome, amount, timezone.now()
    service.version += 1
    service.save(update_fields=["status", "outcome", "amount", "finished_at", "version"])
    record(by, "maritime.service_ended", service, case=service.record.case.number, status=status)
    return service


@transaction.atomic
def do_remind_overdue_tasks(today=None) -> int:
    """Announce every overdue open task to its agency's officers and to whoever coordinates maritime cases
    in its area (core.notices; the key makes a second run on the same day deliver nothing twice). Run by
    `yiwang remind_agency_tasks` from cron; returns how many tasks were announced."""
    today = today or timezone.localdate()
    tasks = AgencyTask.objects.overdue(today).select_related("agency__organisation", "record__case")
    for task in tasks:
        text = _("Overdue since %(due)s: %(case)s, %(title)s (%(agency)s)") % {
            "due": task.due.isoformat(), "case": task.record.case.number, "title": task.title, "agency": task.agency}
        key = f"maritime.task_overdue:{task.pk}:{today.isoformat()}"
        officers = tuple(get_agency_officers(task.agency))
        if officers:
            announce(Notice(kind="maritime.task_overdue", key=f"{key}:agency", text=text, recipients=officers,
                            url=f"/maritime/tasks/{task.pk}/", about=task))
        announce(Notice(kind="maritime.task_overdue", key=f"{key}:centre", text=text, area_code=task.area_id,
                        permission="sea.coordinate", url=f"/maritime/tasks/{task.pk}/", about=task))
    return len(tasks)
