"""Readers: the timeline, who may read the facts, and what a user may do on a case now."""

from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy

from yiwang.cases import lifecycle
from yiwang.cases.actions._base import check_case_party, get_step_permission
from yiwang.cases.models import Case, CaseEvent, organisation_case_q
from yiwang.core.scope import get_grants, user_can_reach

# ----------------------------------------------------------------------------------------------- readers


def get_timeline(case: Case):
    """The case's events and those of the cases merged into it, oldest first."""
    ids = [case.pk, *Case.objects.filter(merged_into=case).values_list("pk", flat=True)]
    return CaseEvent.objects.filter(case_id__in=ids).select_related("actor", "case").order_by("at", "id")


def can_add_attachment(case: Case, user) -> bool:
    """Whether the user may attach files to the case (not one of the state actions the pages list)."""
    step = lifecycle.STEPS["add_attachment"]
    return step.is_possible(case) and get_step_permission(step, case, user) is not None


# Working a case (as opposed to reading it from a leader's or an unassigned mediator's desk): the codes
# whose holders see its facts and claims, when check_case_party says the case is theirs.
WORKING_ACTIONS = ("case.intake", "case.route", "case.mediate", "case.supervise", "case.refer", "case.court")
FACTS_WITHHELD = gettext_lazy("Withheld: the facts and claims are personal information, shown only to those "
                              "who work on the case.")


def can_read_case_facts(case: Case, user) -> bool:
    """Whether `user` may read the case's facts and claims (personal information, need-to-know): those
    who work it (WORKING_ACTIONS on this case: its registering side, the centres that route, supervise
    and refer it, its assigned mediators, the court whose case it is), the leader in charge (包案), and
    the bank or court whose own case it is. Not a leader reading the district, nor an unassigned mediator."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or (case.lead_leader_id and case.lead_leader_id == user.pk):
        return True
    if any(check_case_party(case, user, action) for action in WORKING_ACTIONS):
        return True
    return any(
        grant.organisation_id and "case.view" in grant.role.actions and case.area_id.startswith(grant.area_id)
        and Case.objects.filter(organisation_case_q(grant.organisation_id), pk=case.pk).exists()
        for grant in get_grants(user)
    )


def get_available_actions(case: Case, user) -> list[str]:
    """The actions `user` may take on `case` now (names of the do_* functions without the prefix), in the
    lifecycle table's order: the rows the page offers (lifecycle.PAGE_STEPS) whose check_step would pass,
    the same permission and the same state and condition. The actions check again when called."""
    if not user_can_reach(user, "case.view", case):
        return []
    can = functools.cache(check_case_party)  # each code once per call, as many steps share one
    return [step.name for step in lifecycle.PAGE_STEPS
            if step.is_possible(case) and get_step_permission(step, case, user, can=can) is not None]
