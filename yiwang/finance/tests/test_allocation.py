"""流转: the financial mediation committee assigns a batch's cases to its mediators at once, through the
cases app's own accept and assign actions, by load, in an amount band; a case refused is reported and the
others go on; only the committee's staff may, and only the committee's mediators are offered."""

from decimal import Decimal

import pytest

from yiwang.cases.actions import do_withdraw
from yiwang.cases.models import Assignment, Case, CaseEvent, EventKind
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.finance import actions
from yiwang.finance.models import Allocation, AllocationItem, BankCase, ItemOutcome
from yiwang.finance.tests.helpers import good_rows, submit


@pytest.fixture
def batch(cast):
    return submit(cast.bank_operator, rows=good_rows(5, prefix="AL"))


def _run(allocation):
    return actions.process_allocation(Allocation.objects.get(pk=allocation.pk))


def test_a_batch_is_shared_out_between_the_committees_mediators_by_load(cast, batch):
    bank = batch.bank
    mediators = actions.get_desk_mediators(bank)
    assert {m.username for m in mediators} == {"mediator_wang", "finance_mediator"}
    allocation = actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[m.pk for m in mediators])
    assert allocation.total == 5 and allocation.job is not None
    allocation = _run(allocation)
    assert (allocation.status, allocation.assigned, allocation.failed) == ("done", 5, 0)
    cases = Case.objects.filter(bank_case__batch=batch)
    assert set(cases.values_list("status", flat=True)) == {"assigned"}
    per_mediator = sorted(Assignment.objects.filter(case__in=cases).values_list("mediator__username", flat=True))
    assert per_mediator.count("mediator_wang") in (2, 3) and per_mediator.count("finance_mediator") in (2, 3)
    # Through the cases app's actions: each case has its accepted and assigned lines, by the staff member.
    assert CaseEvent.objects.filter(case__in=cases, kind=EventKind.ASSIGNED, actor=cast.putuo_staff).count() == 5
    assert CaseEvent.objects.filter(case__in=cases, kind=EventKind.ACCEPTED).count() == 5
    assert set(cases.values_list("team__name", flat=True)) == {"银保调解工作室"}


def test_an_amount_band_and_a_limit_choose_the_cases(cast, batch):
    owed = sorted(bc.amount_owed for bc in BankCase.objects.filter(batch=batch))
    low = owed[1]
    allocation = actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[cast.finance_mediator.pk],
                                             min_amount=str(low), limit=2)
    items = list(allocation.items.select_related("case__bank_case"))
    assert len(items) == 2 and all(i.case.bank_case.amount_owed >= low for i in items)
    assert {i.mediator.username for i in items} == {"finance_mediator"}


def test_a_case_refused_is_reported_and_the_others_are_assigned(cast, batch):
    allocation = actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[cast.mediator_wang.pk])
    gone = Case.objects.filter(bank_case__batch=batch).order_by("pk").first()
    do_withdraw(gone, by=cast.bank_operator, reason="借款人已还清")  # meanwhile, before the job runs
    allocation = _run(allocation)
    assert (allocation.assigned, allocation.failed) == (4, 1)
    refused = AllocationItem.objects.get(allocation=allocation, outcome=ItemOutcome.REFUSED)
    assert refused.case_id == gone.pk and refused.message
    gone.refresh_from_db()
    assert gone.status == "withdrawn" and not gone.assignments.exists()


def test_only_the_committees_staff_assign_and_only_to_its_mediators(cast, batch):
    with pytest.raises(PermissionRefused):
        actions.do_start_allocation(batch, by=cast.bank_operator, mediators=[cast.mediator_wang.pk])
    with pytest.raises(InputError) as refused:
        actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[cast.maritime_mediator.pk])
    assert "mediators" in refused.value.message_dict
    with pytest.raises(InputError) as refused:
        actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[cast.mediator_wang.pk],
                                    min_amount="10", max_amount="5")
    assert "max_amount" in refused.value.message_dict
    with pytest.raises(InputError):
        actions.do_start_allocation(batch, by=cast.putuo_staff, mediators=[cast.mediator_wang.pk],
                                    min_amount=str(Decimal("99999999")))
    assert not Allocation.objects.exists()


def test_the_page_and_the_api_start_the_same_bulk_assignment(cast, batch, django_capture_on_commit_callbacks):
    client = cast.client("putuo_staff")
    page = client.get(f"/finance/batches/{batch.pk}/")
    assert b'id="allocate-form"' in page.content and "陈调解员".encode() in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/finance/batches/{batch.pk}/allocate",
                               {"mediators": [cast.mediator_wang.pk], "limit": "2"})
    allocation = Allocation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/finance/allocations/{allocation.pk}/"
    assert client.get(response["Location"]).content.count(b'data-outcome="done"') == 2
    api = cast.api("putuo_staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/finance/batches/{batch.pk}/allocate/",
                            {"mediators": [cast.finance_mediator.pk]}, format="json")
    assert response.status_code == 202, response.content
    body = api.get(f"/api/v1/finance/allocations/{response.json()['id']}/").json()
    assert (body["status"], body["total"], body["assigned"]) == ("done", 3, 3)
    # A bank's operator sees neither the form nor the assignment; the endpoint refuses them.
    operator = cast.client("bank_operator")
    assert b'id="allocate-form"' not in operator.get(f"/finance/batches/{batch.pk}/").content
    assert operator.get(f"/finance/allocations/{allocation.pk}/").status_code == 404
    assert cast.api("bank_operator").post(f"/api/v1/finance/batches/{batch.pk}/allocate/",
                                          {"mediators": [cast.mediator_wang.pk]}, format="json").status_code == 404
