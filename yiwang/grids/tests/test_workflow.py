"""The problem workflow (DOMAIN.md): each step, who may take it, and the refusals."""

import pytest
from django.core.exceptions import ValidationError

from yiwang.areas.models import Organisation
from yiwang.audit.models import AuditEvent
from yiwang.core.calendar import add_working_days as add_workdays
from yiwang.core.errors import PermissionRefused
from yiwang.grids import actions
from yiwang.grids.models import Grid, Problem, State, Tier
from yiwang.testing.factories import unit_account


@pytest.fixture
def problem(cast, liuheng_grid):
    return actions.do_report_problem(
        liuheng_grid, by=cast.grid_worker, category="environment", description="河道垃圾堆积"
    )


@pytest.fixture
def unit(demo):
    return Organisation.objects.get(name="舟山市普陀区司法局")


@pytest.fixture
def handler(demo):
    """The account of 舟山市普陀区司法局 (partner_unit, limited to the unit)."""
    return unit_account("舟山市普陀区司法局")


def _walk_to(problem, state, staff, worker, unit):
    """Take `problem` along the main path up to `state`: the town accepts and dispatches it to `unit`, the
    unit's account handles it, the grid worker `worker` who found it verifies and closes it."""
    handler = unit_account(unit.name)
    path = [
        ("accepted", lambda p: actions.do_accept(p, by=staff, version=p.version)),
        ("dispatched", lambda p: actions.do_dispatch(p, by=staff, version=p.version, organisation=unit)),
        ("signed_for", lambda p: actions.do_sign_for(p, by=handler, version=p.version)),
        ("in_progress", lambda p: actions.do_start(p, by=handler, version=p.version)),
        ("feedback", lambda p: actions.do_feed_back(p, by=handler, version=p.version, outcome="已清理")),
        ("verifying", lambda p: actions.do_verify(p, by=worker, version=p.version)),
        ("closed", lambda p: actions.do_close(p, by=worker, version=p.version)),
    ]
    for name, step in path:
        if problem.state == state:
            break
        problem = step(problem)
        assert problem.state == name
    return problem


def test_a_reported_problem_must_be_accepted_within_two_working_days(problem):
    assert problem.state == State.REPORTED
    assert problem.accept_due == add_workdays(problem.reported_at.astimezone().date(), 2)
    assert problem.area_id == problem.grid.area_id
    assert AuditEvent.objects.filter(verb="grids.problem_reported", object_id=str(problem.pk)).exists()


def test_the_whole_way_from_report_to_closed(problem, cast, liuheng_staff, unit):
    closed = _walk_to(problem, "closed", liuheng_staff, cast.grid_worker, unit)
    assert closed.closed_at is not None
    assert closed.handle_due is not None
    assert list(closed.events.values_list("to_state", flat=True)) == [
        "reported", "accepted", "dispatched", "signed_for", "in_progress", "feedback", "verifying", "closed"
    ]
    verbs = set(AuditEvent.objects.filter(object_id=str(problem.pk), object_type="grids.problem")
                .values_list("verb", flat=True))
    assert {"grids.problem_accept", "grids.problem_close", "grids.problem_sign_for"} <= verbs


def test_accepting_sets_the_tier_and_a_seven_working_day_deadline(problem, liuheng_staff):
    accepted = actions.do_accept(problem, by=liuheng_staff, version=problem.version, tier=Tier.MAJOR)
    assert accepted.tier == Tier.MAJOR
    assert accepted.handle_due == add_workdays(accepted.accepted_at.astimezone().date(), 7)


@pytest.fixture
def village_staff(problem):
    """Staff of the problem's village centre: they coordinate its general problems only."""
    from yiwang.accounts.models import Grant, User

    user = User.objects.create(username="village_staff", display_name="村级中心工作人员")
    Grant.objects.create(user=user, role_id="centre_staff", area_id=problem.area_id)
    return user


def test_each_tier_is_coordinated_at_its_level(problem, village_staff, liuheng_staff, cast, unit):
    """一般 by the village, 较大 by the town's joint meeting, 重大 sent up to the district: a major
    problem leaves the village's hands, a serious one the town's too."""
    assert actions.get_available_steps(village_staff, problem)[:2] == ["accept", "mark_invalid"]
    major = actions.do_accept(problem, by=village_staff, version=problem.version, tier=Tier.MAJOR)
    assert actions.get_coordinating_area_code(major) == major.area_id[:9]
    assert actions.get_available_steps(village_staff, major) == []
    with pytest.raises(PermissionRefused):
        actions.do_dispatch(major, by=village_staff, version=major.version, organisation=unit)
    assert "dispatch" in actions.get_available_steps(liuheng_staff, major)
    # the town sends it up: from then on only the district dispatches it
    second = actions.do_report_problem(problem.grid, by=cast.grid_worker, category="safety", description="危房")
    serious = actions.do_accept(second, by=liuheng_staff, version=second.version, tier=Tier.SERIOUS)
    assert actions.get_coordinating_area_code(serious) == "330903"
    assert actions.get_available_steps(liuheng_staff, serious) == []
    with pytest.raises(PermissionRefused):
        actions.do_dispatch(serious, by=liuheng_staff, version=serious.version, organisation=unit)
    assert Problem.objects.get(pk=serious.pk).state == State.ACCEPTED
    dispatched = actions.do_dispatch(serious, by=cast.putuo_staff, version=serious.version, organisation=unit)
    assert dispatched.state == State.DISPATCHED
    # the unit's account handles it, whatever its tier
    assert "sign_for" in actions.get_available_steps(unit_account(unit.name), dispatched)
    page = cast.client("putuo_staff").get(f"/grids/problems/{serious.pk}/")
    assert "由普陀区统筹协调" in page.content.decode()


def test_a_grid_worker_may_not_accept_or_dispatch(problem, cast):
    with pytest.raises(PermissionRefused):
        actions.do_accept(problem, by=cast.grid_worker, version=problem.version)
    assert Problem.objects.get(pk=problem.pk).state == State.REPORTED


def test_staff_of_another_town_may_not_act(problem, cast):
    with pytest.raises(PermissionRefused):
        actions.do_accept(problem, by=cast.putuo_leader, version=problem.version)


def test_town_staff_may_not_sign_for_a_dispatched_problem(problem, cast, liuheng_staff, unit):
    dispatched = _walk_to(problem, "dispatched", liuheng_staff, cast.grid_worker, unit)
    with pytest.raises(PermissionRefused):
        actions.do_sign_for(dispatched, by=liuheng_staff, version=dispatched.version)


def test_a_step_out_of_order_is_refused(problem, liuheng_staff):
    with pytest.raises(actions.WorkflowError):
        actions.do_close(problem, by=liuheng_staff, version=problem.version)


def test_a_stale_version_is_refused_not_overwritten(problem, liuheng_staff):
    seen = problem.version
    actions.do_accept(Problem.objects.get(pk=problem.pk), by=liuheng_staff, version=seen, tier=Tier.SERIOUS)
    with pytest.raises(actions.StaleProblem):
        actions.do_accept(problem, by=liuheng_staff, version=seen, tier=Tier.GENERAL)
    assert Problem.objects.get(pk=problem.pk).tier == Tier.SERIOUS


def test_invalid_needs_a_reason(problem, liuheng_staff):
    with pytest.raises(ValidationError):
        actions.do_mark_invalid(problem, by=liuheng_staff, version=problem.version, reason=" ")
    invalid = actions.do_mark_invalid(problem, by=liuheng_staff, version=problem.version, reason="重复上报")
    assert invalid.state == State.INVALID and not invalid.is_open


def test_dispatch_goes_to_one_unit_or_one_team(problem, liuheng_staff, unit):
    accepted = actions.do_accept(problem, by=liuheng_staff, version=problem.version)
    with pytest.raises(ValidationError):
        actions.do_dispatch(accepted, by=liuheng_staff, version=accepted.version)


def test_a_returned_problem_is_dispatched_again(problem, cast, liuheng_staff, unit):
    dispatched = _walk_to(problem, "dispatched", liuheng_staff, cast.grid_worker, unit)
    returned = actions.do_return(dispatched, by=unit_account(unit.name), version=dispatched.version,
                                 reason="不属本单位职责")
    assert returned.state == State.RETURNED and returned.assigned_organisation is None
    again = actions.do_dispatch(returned, by=liuheng_staff, version=returned.version, organisation=unit)
    assert again.state == State.DISPATCHED


def test_an_extension_granted_moves_the_deadline(problem, cast, liuheng_staff, unit, handler):
    working = _walk_to(problem, "in_progress", liuheng_staff, cast.grid_worker, unit)
    due = working.handle_due
    with pytest.raises(ValidationError):
        actions.do_request_extension(working, by=handler, version=working.version, days=0, reason="x")
    asked = actions.do_request_extension(working, by=handler, version=working.version, days=5,
                                         reason="需协调施工队")
    assert asked.state == State.EXTENSION_REQUESTED
    with pytest.raises(PermissionRefused):
        actions.do_decide_extension(asked, by=handler, version=asked.version, granted=True)
    granted = actions.do_decide_extension(asked, by=liuheng_staff, version=asked.version, granted=True)
    assert granted.state == State.IN_PROGRESS
    assert granted.handle_due == add_workdays(due, 5)


def test_a_parked_problem_stays_open_but_is_never_overdue(problem, cast, liuheng_staff, unit):
    import datetime

    working = _walk_to(problem, "in_progress", liuheng_staff, cast.grid_worker, unit)
    parked = actions.do_park(working, by=liuheng_staff, version=working.version, reason="待台风季后施工")
    assert parked.state == State.PARKED and parked.is_open
    far = parked.handle_due + datetime.timedelta(days=60)
    assert not parked.is_overdue(far)
    assert not Problem.objects.filter(pk=parked.pk).overdue(far).exists()
    resumed = actions.do_unpark(parked, by=liuheng_staff, version=parked.version)
    assert resumed.state == State.IN_PROGRESS and resumed.parked_reason == ""


def test_failed_verification_goes_back_to_handling(problem, cast, liuheng_staff, unit):
    verifying = _walk_to(problem, "verifying", liuheng_staff, cast.grid_worker, unit)
    back = actions.do_reject_verification(verifying, by=liuheng_staff, version=verifying.version,
                                          reason="现场仍有垃圾")
    assert back.state == State.IN_PROGRESS


def test_the_steps_offered_are_exactly_those_allowed(problem, cast, liuheng_staff):
    assert actions.get_available_steps(cast.grid_worker, problem) == []
    assert actions.get_available_steps(liuheng_staff, problem) == ["accept", "mark_invalid"]
    assert actions.get_available_steps(cast.putuo_leader, problem) == []


def test_a_problem_in_triage_is_accepted_into_a_grid(demo, liuheng_grid, liuheng_staff, cast):
    from yiwang.grids.models import Open311Key

    key = Open311Key.objects.get(key="yiwang-demo-open311")
    triage = actions.do_receive_request(key, category="safety", description="路灯不亮", latitude=29.9,
                                        longitude=122.3)
    assert triage.in_triage and triage.area_id == "330903"
    with pytest.raises(PermissionRefused):  # town staff do not reach the district queue
        actions.do_accept(triage, by=liuheng_staff, version=triage.version, grid=liuheng_grid)
    with pytest.raises(ValidationError):
        actions.do_accept(triage, by=cast.putuo_staff, version=triage.version)
    retired = Grid.objects.filter(area=liuheng_grid.area).exclude(pk=liuheng_grid.pk).first() or liuheng_grid
    Grid.objects.filter(pk=retired.pk).update(active=False)
    with pytest.raises(ValidationError) as refused:  # a grid no longer in use is not offered, nor taken
        actions.do_accept(triage, by=cast.putuo_staff, version=triage.version, grid=Grid.objects.get(pk=retired.pk))
    assert "grid" in refused.value.message_dict and Problem.objects.get(pk=triage.pk).in_triage
    Grid.objects.filter(pk=retired.pk).update(active=True)
    accepted = actions.do_accept(triage, by=cast.putuo_staff, version=triage.version, grid=liuheng_grid)
    assert accepted.area_id == liuheng_grid.area_id and accepted.grid == liuheng_grid


def test_a_refused_extension_keeps_the_deadline(problem, cast, liuheng_staff, unit, handler):
    working = _walk_to(problem, "in_progress", liuheng_staff, cast.grid_worker, unit)
    asked = actions.do_request_extension(working, by=handler, version=working.version, days=3, reason="等材料")
    refused = actions.do_decide_extension(asked, by=liuheng_staff, version=asked.version, granted=False)
    assert refused.state == State.IN_PROGRESS and refused.handle_due == working.handle_due
    assert refused.extension_days is None


def test_feedback_needs_what_was_done(problem, cast, liuheng_staff, unit, handler):
    working = _walk_to(problem, "in_progress", liuheng_staff, cast.grid_worker, unit)
    with pytest.raises(ValidationError):
        actions.do_feed_back(working, by=handler, version=working.version, outcome="")
    assert Problem.objects.get(pk=working.pk).state == State.IN_PROGRESS
