"""A dispute found on a grid becomes a mediation case in one step, linked both ways, and the problem
follows the case to its outcome."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, Status
from yiwang.core.errors import PermissionRefused
from yiwang.grids import actions
from yiwang.grids.models import Problem, State


@pytest.fixture
def dispute(cast, liuheng_grid):
    return actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="dispute",
                                     description="两户因宅基地边界争执", location="东靖社区3组")


def _refer(user, problem, **extra):
    data = {"version": problem.version, "dispute_type": "neighbourhood", "applicant_name": "王海军",
            "applicant_phone": "13905801234", "respondent_name": "李明华", "claims": "确认边界"}
    data.update(extra)
    return actions.do_refer_to_mediation(problem, by=user, **data)


def test_a_dispute_becomes_a_case_linked_both_ways(dispute, liuheng_staff):
    referred = _refer(liuheng_staff, dispute)
    assert referred.state == State.REFERRED and referred.is_open
    case = Case.objects.get(pk=referred.case_id)
    assert case.channel == "grid" and case.area_id == dispute.area_id and case.status == Status.REGISTERED
    assert "宅基地" in case.facts and list(case.grid_problems.all()) == [referred]
    assert case.parties.filter(name="王海军").exists() and case.parties.filter(name="李明华").exists()
    assert case.number in referred.events.last().note


def test_a_referred_problem_is_never_overdue_while_the_case_runs(dispute, liuheng_staff):
    import datetime

    referred = _refer(liuheng_staff, dispute)
    far = referred.accept_due + datetime.timedelta(days=90)
    assert not Problem.objects.filter(pk=referred.pk).overdue(far).exists()


def test_the_problem_closes_when_the_case_reaches_its_outcome(dispute, liuheng_staff):
    referred = _refer(liuheng_staff, dispute)
    case = Case.objects.get(pk=referred.case_id)
    case = case_actions.do_accept(case, by=liuheng_staff)
    referred.refresh_from_db()
    assert referred.state == State.REFERRED  # the case is open: the problem waits with it
    case_actions.do_withdraw(case, by=liuheng_staff, reason="双方自行和解")
    referred.refresh_from_db()
    assert referred.state == State.CLOSED and referred.closed_at is not None
    assert case.number in referred.outcome
    assert referred.events.last().verb == "case_closed"


def test_only_disputes_may_be_referred(cast, liuheng_grid, liuheng_staff):
    rubbish = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="environment",
                                        description="垃圾")
    before = Case.objects.count()
    assert "refer_to_mediation" not in actions.get_available_steps(liuheng_staff, rubbish)
    with pytest.raises(actions.WorkflowError):
        _refer(liuheng_staff, rubbish)
    assert Case.objects.count() == before


def test_referring_needs_grid_dispatch_and_case_intake(dispute, cast):
    before = Case.objects.count()
    assert "refer_to_mediation" not in actions.get_available_steps(cast.grid_worker, dispute)
    with pytest.raises(PermissionRefused):
        _refer(cast.grid_worker, dispute)
    assert Case.objects.count() == before


def test_bad_party_details_refuse_the_step_and_register_nothing(dispute, liuheng_staff):
    before = Case.objects.count()
    with pytest.raises(ValidationError) as error:
        _refer(liuheng_staff, dispute, applicant_phone="12345")
    assert any("phone" in key for key in error.value.message_dict)
    dispute.refresh_from_db()
    assert dispute.state == State.REPORTED and dispute.case is None
    assert Case.objects.count() == before


def test_referring_through_the_page(dispute, cast, liuheng_staff):
    client = cast.client("liuheng_staff")
    page = client.get(reverse("grids:problem_detail", args=[dispute.pk])).content.decode()
    assert 'id="step-refer_to_mediation"' in page
    response = client.post(reverse("grids:problem_step", args=[dispute.pk, "refer_to_mediation"]), {
        "version": dispute.version, "dispute_type": "neighbourhood", "applicant_name": "王海军",
        "applicant_phone": "13905801234", "respondent_name": "李明华",
    })
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.state == State.REFERRED
    page = client.get(reverse("grids:problem_detail", args=[dispute.pk])).content.decode()
    assert dispute.case.number in page
