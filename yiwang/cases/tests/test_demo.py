"""The demo disputes make the workbench look alive and obey every rule the actions keep.

The only tests that load the full demo (`full_demo`): the demo is for people, every other test builds its own.
"""

from collections import defaultdict

import pytest
from django.db.models import Count
from django.utils import timezone

from yiwang.cases import demo
from yiwang.cases.models import Case, CaseCounter, Status

pytestmark = [pytest.mark.usefixtures("full_demo"), pytest.mark.xdist_group("demo_cases")]


def demo_cases():
    return Case.objects.filter(idempotency_key__startswith=demo.KEY_PREFIX)


def test_a_few_hundred_cases_in_every_state_over_two_years_and_many_towns(cast):
    cases = demo_cases()
    assert cases.count() == demo.CASES
    assert set(cases.values_list("status", flat=True)) == set(Status.values)
    this_year = timezone.localdate().year
    assert {c.year for c in cases.dates("received_at", "year")} == {this_year - 1, this_year}
    assert cases.values("area_id").annotate(n=Count("id")).count() > 50
    assert len({code[:9] for code in cases.values_list("area_id", flat=True)}) >= 8
    assert cases.overdue().exists()  # something to supervise


def test_demo_cases_keep_the_invariants_and_numbers_are_gap_free(cast):
    assert demo_cases().count() == demo.CASES
    sequences = defaultdict(list)
    for case in demo_cases().select_related("registered_centre"):
        assert case.invariant_errors() == [], case.number
        assert case.agreement_errors() == [], (case.number, case.agreement_errors())  # signed and sealed
        assert case.events.exists()
        centre, year, sequence = case.number.rsplit("-", 2)
        assert centre == case.registered_centre.code
        sequences[(case.registered_centre_id, int(year))].append(int(sequence))
    for (centre_id, year), numbers in sequences.items():
        numbers.sort()
        assert numbers[0] == 1 and numbers == list(range(1, len(numbers) + 1)), (centre_id, year)
        assert CaseCounter.objects.get(centre_id=centre_id, year=year).last >= numbers[-1]


def test_every_demo_event_was_taken_by_someone_allowed_to(cast):
    from yiwang.cases.models import CaseEvent
    from yiwang.core.scope import user_can

    assert CaseEvent.objects.filter(case__in=demo_cases()).exists()
    for event in CaseEvent.objects.filter(case__in=demo_cases()).select_related("actor", "case"):
        assert user_can(event.actor, event.detail["permission"], event.case.area_id), (event.kind, event.actor)


def test_loading_the_demo_again_changes_nothing(cast):
    assert demo_cases().exists()
    before = (Case.objects.count(), list(CaseCounter.objects.values_list("last", flat=True).order_by("id")))
    demo.load(lambda line: None)
    assert (Case.objects.count(), list(CaseCounter.objects.values_list("last", flat=True).order_by("id"))) == before


def test_demo_delegations_are_registered_and_failed_ones_went_back_to_their_court(cast):
    """Every demo case a court delegated has its Delegation (a 案号 in the national format, the 30-day
    period); each whose mediation failed and moved on was returned to that court, so the liaison's queue
    never lists a closed delegation as not returned."""
    from yiwang.accounts.models import User
    from yiwang.cases.court import get_court_queue
    from yiwang.cases.models import Channel, Delegation, EventKind, Referral
    from yiwang.cases.validators import validate_court_case_number

    delegated = demo_cases().filter(channel=Channel.COURT_DELEGATION)
    assert delegated.count() >= 5
    assert Delegation.objects.filter(case__in=delegated).count() == delegated.count()
    failed = 0
    for delegation in Delegation.objects.filter(case__in=delegated).select_related("case", "court"):
        case = delegation.case
        validate_court_case_number(delegation.court_case_number)
        assert delegation.court == case.submitted_by_organisation
        assert delegation.period_ends > timezone.localtime(delegation.registered_at).date()
        went_on = case.events.filter(kind__in=[EventKind.REFERRED, EventKind.RETURNED_TO_COURT]).exists()
        assert delegation.returned == went_on, case.number
        if went_on:
            failed += 1
            assert case.events.filter(kind=EventKind.RETURNED_TO_COURT).count() == 1
            assert not case.events.filter(kind=EventKind.REFERRED).exists()
            assert Referral.objects.get(case=case).body == delegation.court
        if case.status in (Status.FOLLOWED_UP, Status.ARCHIVED) and case.outcome in ("terminated", "referred"):
            assert delegation.returned, case.number  # closed only after it went back
    assert failed, "no demo delegation failed: the queue's returned list would be empty"
    queue = get_court_queue(User.objects.get(username="court_liaison"))
    closed = [c for c in queue.returned if not c.is_open]
    assert closed and all(c.delegation.returned for c in closed)
    assert queue.delegations and {c.pk for c in queue.delegations} <= set(delegated.values_list("pk", flat=True))
    for case in queue.delegations:  # running: mediated within the delegation's period
        assert case.mediation_deadline in (None, case.delegation.period_ends), case.number
