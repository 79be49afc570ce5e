"""A repayment plan of an agreement: instalments set by the mediator, payments recorded by the bank (page,
API, retried safely) or the mediator, filled in order; overdue instalments show; the case's performance
follows the plan (performing from the first payment, performed in full with the last)."""

import datetime as dt
from decimal import Decimal

import pytest

from yiwang.cases.models import CaseEvent, EventKind
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.finance import actions
from yiwang.finance.models import Payment, RepaymentPlan
from yiwang.finance.tests.helpers import bank_case_at

JAN = dt.date(2026, 1, 15)  # in the past for these tests: every instalment is already due


@pytest.fixture
def agreed(cast):
    return bank_case_at("agreed", prefix="PLAN")


def test_equal_monthly_instalments_sum_to_the_total():
    rows = actions.make_instalments(Decimal("1000.00"), 3, dt.date(2026, 1, 31))
    assert [a for a, _d in rows] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert [d for _a, d in rows] == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]


def test_the_plan_is_followed_by_the_banks_and_the_mediators_payments(cast, agreed):
    mediator = cast.client("mediator_wang")
    response = mediator.post(f"/finance/cases/{agreed.pk}/plan", {"total": "3000", "count": "3",
                                                                   "first_due_on": JAN.isoformat()})
    assert response.status_code == 302
    plan = RepaymentPlan.objects.get(case=agreed)
    assert [(i.amount, i.due_on.month) for i in plan.instalments.all()] == [(Decimal("1000.00"), m) for m in (1, 2, 3)]
    page = mediator.get(f"/cases/{agreed.pk}/").content.decode()
    assert 'id="overdue-count"' in page and "3 期逾期" in page
    # The bank reports a payment through the API; a retry with its reference changes nothing.
    api = cast.api("bank_operator")
    body = {"amount": "1500", "paid_on": "2026-02-01", "reference": "TX-1"}
    assert api.post(f"/api/v1/finance/cases/{agreed.pk}/payments/", body, format="json").status_code == 201
    again = api.post(f"/api/v1/finance/cases/{agreed.pk}/payments/", body, format="json").json()
    assert Payment.objects.count() == 1 and again["paid"] == "1500.00"
    assert [(i["paid"], i["overdue"]) for i in again["instalments"]] == [
        ("1000.00", False), ("500.00", True), ("0.00", True)]
    agreed.refresh_from_db()
    assert agreed.status == "performing"
    event = CaseEvent.objects.filter(case=agreed, kind=EventKind.PERFORMANCE_RECORDED).get()
    assert event.actor.username == "finance_ledger" and "银行" in event.reason
    assert [i.number for i in actions.get_overdue_instalments(cast.putuo_staff)] == [2, 3]
    # More than is owed is refused; the mediator records the rest and the agreement is performed in full.
    with pytest.raises(InputError):
        actions.do_record_payment(plan, by=cast.mediator_wang, amount="1500.01", paid_on="2026-03-01")
    actions.do_record_payment(plan, by=cast.mediator_wang, amount="1500", paid_on="2026-03-01")
    plan.refresh_from_db()
    agreed.refresh_from_db()
    assert plan.completed_on == dt.date(2026, 3, 1) and agreed.agreement.performed_on is not None
    assert not actions.get_overdue_instalments(cast.putuo_staff).exists()


def test_who_may_set_a_plan_and_record_payments(cast, agreed):
    with pytest.raises(PermissionRefused):
        actions.do_set_plan(agreed, by=cast.bank_operator, instalments=[("100", JAN)])
    with pytest.raises(InputError):
        actions.do_set_plan(agreed, by=cast.mediator_wang, instalments=[("100", JAN), ("100", dt.date(2025, 1, 1))])
    with pytest.raises(InputError):
        actions.do_set_plan(agreed, by=cast.mediator_wang, instalments=[("-1", JAN)])
    assert not RepaymentPlan.objects.exists()
    plan = actions.do_set_plan(agreed, by=cast.mediator_wang, instalments=[("100", JAN), ("200", dt.date(2026, 2, 15))])
    with pytest.raises(PermissionRefused):
        actions.do_record_payment(plan, by=cast.icbc_operator, amount="100", paid_on="2026-01-20")
    assert cast.api("icbc_operator").post(f"/api/v1/finance/cases/{agreed.pk}/payments/",
                                          {"amount": "1", "paid_on": "2026-01-20"}, format="json").status_code == 404
    actions.do_record_payment(plan, by=cast.bank_operator, amount="100", paid_on="2026-01-20")
    with pytest.raises(InputError):  # a plan with payments stays
        actions.do_set_plan(agreed, by=cast.mediator_wang, instalments=[("300", JAN)])


def test_no_plan_before_the_agreement(cast):
    mediating = bank_case_at("mediating", prefix="EARLY")
    with pytest.raises(InputError):
        actions.do_set_plan(mediating, by=cast.mediator_wang, instalments=[("100", JAN)])
