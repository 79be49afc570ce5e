"""The lifecycle table (cases/lifecycle.py STEPS) is the one place that says what each action is: every
action has its row, and the page, the API and the citizen timeline are built from it."""

import inspect

from django.urls import reverse

from yiwang.cases import actions, api, forms, lifecycle, serializers, views
from yiwang.cases.models import TRANSITIONS, EventKind, Status


def test_every_action_on_a_case_has_exactly_one_row():
    functions = {name.removeprefix("do_") for name, value in vars(actions).items()
                 if name.startswith("do_") and inspect.isfunction(value)}
    assert functions == set(lifecycle.STEPS)
    assert len(lifecycle.STEPS_IN_ORDER) == len(lifecycle.STEPS)


def test_each_row_leads_only_along_the_state_machine():
    for step in lifecycle.STEPS_IN_ORDER:
        for target in step.to:
            assert not step.from_states or any(target in TRANSITIONS[s] for s in step.from_states), step.name
        assert step.permissions and all(code.startswith("case.") for code in step.permissions), step.name
        assert step.event in EventKind.values, step.name


def test_every_state_is_reached_by_a_step():
    assert {status for step in lifecycle.STEPS_IN_ORDER for status in step.to} == set(Status.values)


def test_the_page_and_the_api_are_built_from_the_rows_they_offer():
    offered = [step for step in lifecycle.STEPS_IN_ORDER if step.form]
    assert list(views.ACTION_FORMS) == [step.name for step in offered]
    assert list(api.TRANSITIONS) == [step.url_name for step in offered]
    for step in offered:
        form_class, label = views.ACTION_FORMS[step.name]
        assert issubclass(form_class, forms.ActionForm) and label == step.label
        assert api.TRANSITIONS[step.url_name][0] is getattr(serializers, step.serializer)
        assert reverse("case-" + step.url_name, kwargs={"pk": 1}) == f"/api/v1/cases/1/{step.url_name}/"
    # The steps a party takes through their link, registering and attaching files have no button here.
    assert not {"register_case", "record_party_acceptance", "record_party_rating", "add_attachment"} & set(
        views.ACTION_FORMS)


def test_the_citizen_timeline_reads_the_rows_labels():
    CITIZEN_EVENTS = lifecycle.CITIZEN_EVENTS  # what the party's progress page shows, keyed by EventKind
    assert CITIZEN_EVENTS[EventKind.REGISTERED] == lifecycle.STEPS["register_case"].citizen_label
    assert CITIZEN_EVENTS[EventKind.ACCEPTED] == lifecycle.STEPS["accept"].citizen_label
    # Staff-only steps (routing notes, supervision, files) never reach a party's timeline.
    for name in ("transfer_window", "recuse", "merge_cases", "supervise", "add_attachment", "record_visit"):
        assert lifecycle.STEPS[name].event not in CITIZEN_EVENTS, name
