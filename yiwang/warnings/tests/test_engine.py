"""The engine on the database: instant rules inside the case action's transaction, new cases joining the
open warning of their situation, and `evaluate_warnings` raising nothing new when run twice."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from yiwang.testing import factories as f
from yiwang.warnings.models import EventKind, Rule, Status, Warning

pytestmark = pytest.mark.django_db

COMPANY = {"kind": "organisation", "name": "舟山某水产有限公司", "credit_code": "91330903MA2A0000X1"}


def against_company(**extra):
    return f.register_case(dispute_type="labour", facts="拖欠工资三个月。", claims="支付工资。",
                           respondents=[COMPANY], **extra)


def test_a_case_with_many_people_raises_a_warning_in_its_registration(cast, notices):
    case = f.register_case(people_involved=35, dispute_type="labour", facts="拖欠工资。", claims="支付工资。")
    [warning] = Warning.objects.all()
    assert (warning.rule_id, warning.level, warning.status) == ("group.size", "orange", "raised")
    assert list(warning.cases.all()) == [case]
    assert warning.area_id == case.area_id
    assert warning.events.get().kind == EventKind.RAISED
    assert [n.kind for n in notices] == ["warning.raised"]


def test_a_failed_action_raises_no_warning(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        f.register_case(people_involved=35)
        raise RuntimeError("the action failed after the hook")
    assert not Warning.objects.exists()


def test_new_cases_join_the_open_warning(cast, notices):
    for _ in range(3):
        against_company()
    [warning] = Warning.objects.filter(rule="group.respondent")
    assert warning.cases.count() == 3 and warning.level == "yellow"
    fourth = against_company()
    assert Warning.objects.filter(rule="group.respondent").count() == 1
    warning.refresh_from_db()
    assert fourth in warning.cases.all() and warning.cases.count() == 4
    assert "4 件" in warning.explanation
    assert warning.events.filter(kind=EventKind.JOINED).count() == 1  # raised with the third, the fourth joined
    fifth = against_company()
    warning.refresh_from_db()
    assert warning.level == "orange" and warning.tier == "town" and fifth in warning.cases.all()
    assert warning.events.filter(kind=EventKind.LEVEL_RAISED).exists()
    assert [n.kind for n in notices if n.about == warning] == ["warning.raised", "warning.raised"]  # raised, orange


def test_a_closed_situation_is_not_raised_again_but_new_cases_are(cast):
    from yiwang.warnings.actions import do_step

    for _ in range(3):
        against_company()
    warning = Warning.objects.get(rule="group.respondent")
    do_step(warning, "acknowledge", by=cast.putuo_leader, version=warning.version)
    do_step(warning, "resolve", by=cast.putuo_leader, version=warning.version, note="已协调企业发放工资")
    call_command("evaluate_warnings")
    assert Warning.objects.filter(rule="group.respondent").count() == 1
    against_company()
    assert Warning.objects.filter(rule="group.respondent", status=Status.RAISED).count() == 1


def test_evaluate_warnings_twice_raises_nothing_new(cast):
    f.register_case(people_involved=6)
    for _ in range(3):
        against_company()
    f.report_problem(f_grid(), description="村民扬言要堵路")
    Warning.objects.all().delete()  # as if the rules had been added after the cases came in
    call_command("evaluate_warnings")
    first = sorted(Warning.objects.values_list("key", "level"))
    assert {key.split(":")[0] for key, _ in first} >= {"group.size", "group.respondent", "danger.mass"}
    events = Warning.objects.values_list("events", flat=True).count()
    call_command("evaluate_warnings")
    assert sorted(Warning.objects.values_list("key", "level")) == first
    assert Warning.objects.values_list("events", flat=True).count() == events


def f_grid():
    from yiwang.accounts.demo import grid_worker_area
    from yiwang.grids.models import Grid

    return Grid.objects.filter(area=grid_worker_area()).order_by("code").first()


def test_danger_words_in_a_grid_report_raise_at_once(cast):
    problem = f.report_problem(f_grid(), category="dispute", description="有人说要 跳　楼")
    [warning] = Warning.objects.all()
    assert warning.rule_id == "danger.extreme" and list(warning.problems.all()) == [problem]
    assert warning.level == "red"


def test_a_disabled_rule_raises_nothing(cast):
    Rule.objects.filter(code="group.size").update(enabled=False)
    f.register_case(people_involved=200)
    assert not Warning.objects.exists()


def test_a_stalled_major_case_is_found_on_the_schedule(cast):
    case = f.register_case(people_involved=6)
    Warning.objects.all().delete()
    from yiwang.cases.models import Case

    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    call_command("evaluate_warnings")
    stalled = Warning.objects.get(rule="stalled.major")
    assert "已超过办理期限 2 天" in stalled.explanation and stalled.level == "orange"


def test_evaluate_warnings_refuses_a_bad_date(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("evaluate_warnings", "--date", "2026-13-01")
