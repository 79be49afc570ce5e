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
