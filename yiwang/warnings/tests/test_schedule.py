"""What a request evaluates at once and what it leaves to the worker or the schedule: the court rejecting
judicial confirmation warns at once; a message in the mediation room waits for the schedule; a batch of
cases registered at once is evaluated as one set once it commits, never case by case in the request."""

import pytest
from django.core.management import call_command

from yiwang.testing import factories as f
from yiwang.warnings.engine import evaluate_case
from yiwang.warnings.models import Warning

pytestmark = pytest.mark.django_db
COMPANY = {"kind": "organisation", "name": "舟山某水产有限公司", "credit_code": "91330903MA2A0000X1"}


def test_a_rejected_judicial_confirmation_warns_at_once(cast):
    case = f.make_case("confirmation_rejected", dispute_type="contract", facts="货款未按合同约定支付。",
                       claims="支付货款。")
    warning = Warning.objects.get(rule="repeat.reopened")
    assert list(warning.cases.all()) == [case] and "协议内容违法" in warning.explanation
    assert warning.level == "yellow" and warning.tier == "village"
    from yiwang.cases.actions import do_record_performance

    do_record_performance(case, by=cast.mediator_wang, note="双方仍愿按协议履行")
    assert Warning.objects.filter(rule="repeat.reopened").count() == 1  # one situation, one warning


def test_a_room_message_is_read_on_the_schedule_not_in_the_request(cast):
    from yiwang.online.actions import do_post_message

    case = f.make_case("mediating")
    do_post_message(case, text="再 不 解 决 我 就 去 跳 楼", by=cast.mediator_wang)
    assert evaluate_case(case) == [] and not Warning.objects.exists()
    call_command("evaluate_warnings")
    warning = Warning.objects.get(rule="danger.extreme")
    assert list(warning.cases.all()) == [case] and warning.level == "red"


def test_a_batch_is_evaluated_as_one_set_after_it_commits(cast, django_capture_on_commit_callbacks):
    from yiwang.cases.actions.bulk import BulkItem, do_register_cases

    items = [BulkItem(values={"channel": "window", "dispute_type": "labour", "area": f.village(),
                              "facts": "拖欠工资三个月。", "claims": "支付工资。", "applicants": [f.applicant()],
                              "respondents": [COMPANY], "people_involved": 6}) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = do_register_cases(items, by=cast.liuheng_clerk)
        assert all(item.case for item in done) and not Warning.objects.exists()  # nothing in the request
    assert callbacks
    group = Warning.objects.get(rule="group.respondent")
    assert set(group.cases.all()) == {item.case for item in done}
    assert Warning.objects.filter(rule="group.size").count() == 3  # each case's own rule, in the same pass
