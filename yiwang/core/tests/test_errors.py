"""One refusal hierarchy: every app's refusals are core's, and one handler turns them into HTTP."""

import pytest
from django.core.exceptions import ValidationError

from yiwang.api import exception_handler
from yiwang.cases import actions as case_actions
from yiwang.core import errors
from yiwang.grids import actions as grid_actions
from yiwang.online import actions as online_actions
from yiwang.stats import actions as stats_actions


@pytest.mark.parametrize("refusal", [
    case_actions.CaseActionError, case_actions.PermissionRefused, case_actions.StaleCase,
    case_actions.IllegalTransition, case_actions.CaseInputError, grid_actions.WorkflowError,
    grid_actions.StaleProblem, online_actions.CodeRefused, online_actions.AccessRefused,
    online_actions.SigningRefused, online_actions.RoomRefused, stats_actions.StatsInputError,
], ids=lambda cls: cls.__name__)
def test_every_apps_refusal_is_an_action_refused_and_a_validation_error(refusal):
    assert issubclass(refusal, errors.ActionRefused) and issubclass(refusal, ValidationError)


def test_the_stale_and_permission_refusals_are_cores():
    assert issubclass(case_actions.StaleCase, errors.StaleVersion)
    assert issubclass(grid_actions.StaleProblem, errors.StaleVersion)
    assert case_actions.PermissionRefused is errors.PermissionRefused
    assert issubclass(grid_actions.WorkflowError, errors.IllegalTransition)


@pytest.mark.parametrize(("refusal", "status", "body"), [
    (errors.PermissionRefused("No."), 403, {"detail": "No."}),
    (errors.StaleVersion("Changed."), 409, {"detail": "Changed."}),
    (errors.IllegalTransition("Closed."), 409, {"detail": "Closed."}),
    (errors.ActionRefused("Refused."), 400, {"detail": "Refused."}),
    (errors.InputError({"reason": "Say why.", "applicants[0].phone": ["Bad phone."]}), 400,
     {"reason": ["Say why."], "applicants": {"0": {"phone": ["Bad phone."]}}}),
])
def test_one_handler_answers_every_refusal(refusal, status, body):
    response = exception_handler(refusal, {})
    assert (response.status_code, response.data) == (status, body)


def test_an_input_error_without_a_field_is_about_the_whole_input():
    assert errors.InputError({None: "Nothing fits."}).message_dict == {"__all__": ["Nothing fits."]}
