"""What every case action shares: deadlines, the refusals, whose case it is (check_case_party), the
table check (check_step), the lock, the versioned save and the timeline event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Centre
from yiwang.audit.actions import record
from yiwang.cases import lifecycle
from yiwang.cases.models import Case, CaseEvent, EventKind, organisation_case_q
from yiwang.core import errors, hooks
from yiwang.core.scope import get_grants, user_can_reach

ACCEPT_WORKDAYS = 3  # decide whether to accept
ASSIGN_WORKDAYS = 2  # name mediators
START_WORKDAYS = 3  # first session
MEDIATION_DAYS = 30  # people's mediation and court-delegated mediation: 30 days, extendable by consent
MAX_EXTENSION_DAYS = 30
CONFIRMATION_WINDOW_DAYS = 30  # art. 33: apply for judicial confirmation within 30 days of effect
COURT_ACCEPT_DAYS = 3  # the court decides within 3 days whether to accept an application (法释〔2011〕5号)
COURT_RULING_DAYS = 15  # and rules within 15 days of accepting it,
COURT_EXTENSION_DAYS = 10  # extendable once by 10
NEXT_STEP_WORKDAYS = 5  # after termination, confirmation decisions: refer or follow up
REFERRAL_FOLLOW_UP_DAYS = 30
ARCHIVE_WORKDAYS = 10
DUPLICATE_DAYS = 90
# Tier rules: what makes a case complex (town) or hard (district).
TOWN_AMOUNT = Decimal("50000")
DISTRICT_AMOUNT = Decimal("1000000")
TOWN_PEOPLE = 3
DISTRICT_PEOPLE = 10  # 群体性纠纷


# The refusals are core's (yiwang.core.errors), under the names this module has always used.
CaseActionError = errors.ActionRefused
PermissionRefused = errors.PermissionRefused
IllegalTransition = errors.IllegalTransition
CaseInputError = errors.InputError


class StaleCase(errors.StaleVersion):
    """Someone else changed the case since the user read it."""


# ----------------------------------------------------------------------------------------------- helpers


def _today() -> dt.date:
    return timezone.localdate()


def check_case_party(case: Case, by, action: str) -> bool:
    """Whether one of `by`'s grants carrying `action` reaches this case for that action: whose case it is.

    - Every grant: its area covers the case's.
    - A grant limited to an organisation (a bank's operator, a court's liaison) reaches only that
      organisation's own cases (models.organisation_case_q); its intake-side steps (case.intake: withdraw,
      record a visit or a refusal, attach files, re-send a party's link) only the cases it submitted itself.
    - Intake-side steps under a grant for a centre: only cases registered by that centre or a centre below
      it, or now the responsibility of one of those (after 上提/下交). A centre answers for what it took in;
      the centre of the area above (town over village, district over all) supervises those below and
      may step in, but a sibling centre's clerk may not withdraw another centre's case.
    - Mediator steps (case.mediate): only a mediator assigned to the case and not recused. Centre staff
      holding case.supervise act instead (get_mediator_permission).
    - Routing, supervision, referral (case.route, case.supervise, case.refer) are the centres' own work
      along their hierarchy: the area decides, as it always has."""
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        return False
    if action == "case.mediate" and not by.is_superuser and not _is_active_mediator(case, by):
        return False
    if by.is_superuser:
        return True
    for grant in get_grants(by):
        if action not in grant.role.actions or not case.area_id.startswith(grant.area_id):
            continue
        if grant.organisation_id:
            if action == "case.intake":
                if case.submitted_by_organisation_id == grant.organisation_id:
                    return True
            elif Case.objects.filter(organisation_case_q(grant.organisation_id), pk=case.pk).exists():
                return True
        elif action == "case.intake" and grant.centre_id:
            prefix = grant.centre.area_id
            if any(code.startswith(prefix) for code in _centre_areas(case)):
                return True
        else:
            return True
    return False


def _require(by, actions: str | tuple[str, ...], case: Case) -> str:
    """The first of `actions` the user may take on this case (check_case_party), or PermissionRefused."""
    for action in (actions,) if isinstance(actions, str) else actions:
        if check_case_party(case, by, action):
            return action
    raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})


def get_step_permission(step: lifecycle.Step, case: Case, user, can=check_case_party) -> str | None:
    """The first of the step's permission codes under which `user` may take it on this case (whose case it
    is: check_case_party), or None. `can` lets a reader asking about many steps ask each code once."""
    return next((action for action in step.permissions if can(case, user, action)), None)


def get_mediator_permission(user, case: Case) -> str | None:
    """The action code under which `user` acts as the case's mediator: centre staff who supervise the
    area, or an assigned (not recused) mediator; None for anyone else."""
    return get_step_permission(lifecycle.STEPS["start_mediation"], case, user)


def check_step(case: Case, by, name: str) -> str:
    """The check every action on a case makes first, from its own row of the lifecycle table
    (lifecycle.STEPS[name]): the user may take it on this case (PermissionRefused), the case is in one of
    its from-states and meets its condition (IllegalTransition). Returns the permission code acted under,
    which the timeline records. get_available_actions asks the same two questions, so what the pages
    offer is exactly what this lets through."""
    step = lifecycle.STEPS[name]
    permission = get_step_permission(step, case, by)
    if permission is None:
        if step.is_mediator_step:
            raise PermissionRefused(_("Only a mediator assigned to case %(number)s may do this.")
                                    % {"number": case.number})
        raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})
    refusal = step.state_refusal(case)
    if refusal is not None:
        raise IllegalTransition(str(refusal))
    return permission


def _lock(case: Case, by, version: int | None) -> Case:
    """The case row, locked for this transaction, checked against the version the caller read."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    try:
        locked = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist:
        raise PermissionRefused(_("This case does not exist.")) from None
    if not user_can_reach(by, "case.view", locked):
        raise PermissionRefused(_("This case does not exist."))
    expected = case.version if version is None else int(version)
    if locked.version != expected:
        raise StaleCase(
            _("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
            % {"number": locked.number}
        )
    return locked


def _save(case: Case, fields: set[str] | list[str]) -> None:
    """Write `fields` and bump the version, only if nobody else has written since we read it."""
    old = case.version
    case.version = old + 1
    case.updated_at = timezone.now()
    errors = case.invariant_errors()
    if errors:  # a programming error, never a user's: fail loudly and roll back
        raise AssertionError(f"case {case.number}: {'; '.join(errors)}")
    values = {}
    for name in {*fields, "version", "updated_at"}:
        field = Case._meta.get_field(name)
        values[field.attname] = getattr(case, field.attname)
    if Case.objects.filter(pk=case.pk, version=old).update(**values) != 1:
        raise StaleCase(_("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
                        % {"number": case.number})


def _event(case: Case, by, kind: EventKind, *, permission: str, from_status: str = "", reason: str = "",
           actor_name: str = "", **detail) -> CaseEvent:
    """One timeline line and one audit event; `permission` is the action code the user acted under,
    `actor_name` who the line names when not the user (a party acting through their link)."""
    kind = EventKind(kind)
    to_status = case.status if from_status and from_status != case.status else ""
    event = CaseEvent.objects.create(
        case=case, kind=kind, at=timezone.now(), actor=by, actor_name=actor_name or str(by),
        from_status=from_status if to_status else "", to_status=to_status, reason=reason,
        detail={"permission": permission, **detail},
    )
    record(by, f"cases.{kind.value}", case, reason=reason, from_status=event.from_status, to_status=to_status,
           **{k: v for k, v in detail.items() if isinstance(v, (str, int, bool, type(None)))})
    # Re-check scope after the write, inside the transaction: nobody moves a case out of their sight.
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})
    # What the apps built on cases do about it (statistics, grid problems, party links), in this transaction.
    hooks.case_changed.call(case, event)
    return event


def _move(case: Case, to: str) -> str:
    """Change the status along the state machine; returns the previous one."""
    if not case.can_move_to(to):
        raise IllegalTransition(
            _("This is not possible while the case is “%(status)s”.") % {"status": case.get_status_display()}
        )
    previous = case.status
    case.status = to
    return previous


def _close(case: Case, outcome: str) -> None:
    case.outcome = outcome
    case.closed_at = timezone.now()


def _required_text(errors: dict, field: str, value, label_message: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        errors[field] = [label_message]
    return value


def _as_date(value, field: str, errors: dict) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errors[field] = [_("Enter a valid date.")]
    return None


def _is_active_mediator(case: Case, user) -> bool:
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("assignments")
    if prefetched is not None:  # the case page read them once (views._get_case)
        return any(a.mediator_id == user.pk and a.recused_at is None for a in prefetched)
    return case.assignments.filter(mediator=user, recused_at__isnull=True).exists()


def _centre_areas(case: Case) -> list[str]:
    """The area codes of the centres that registered the case and answer for it now, read once per case
    object (a page asks for every step it might offer) and again if either centre changed."""
    key = (case.registered_centre_id, case.centre_id)
    cached = case.__dict__.get("_yiwang_centre_areas")
    if cached is None or cached[0] != key:
        areas = list(Centre.objects.filter(pk__in=list(key)).values_list("area_id", flat=True))
        cached = case.__dict__["_yiwang_centre_areas"] = (key, areas)
    return cached[1]
