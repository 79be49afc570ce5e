"""Agencies take part per case through the tasks they are given: their officers, on grants limited to the
agency, see the cases (and vessels) they have tasks on and nothing else (404), only their own agency's tasks,
and report them done; tasks are due in working days; services are followed to their outcome."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from yiwang.cases.models import Case
from yiwang.core.errors import IllegalTransition, InputError, PermissionRefused
from yiwang.maritime.actions import (
    do_attach_service,
    do_complete_task,
    do_give_task,
    do_record_service_outcome,
)
from yiwang.maritime.models import AgencyKind, AgencyTask, MaritimeRecord, Service, Vessel
from yiwang.maritime.tests.helpers import agency, sea_case, vessel
from yiwang.testing import assert_not_found_for


@pytest.fixture
def two_cases(cast):
    """A collision the coast guard has a task on, and a wage dispute the insurer has one on."""
    boat_a, boat_b, boat_c = vessel(), vessel(), vessel()
    collision = sea_case(vessels=[boat_a, boat_b], incident_kind="collision")
    wages = sea_case(vessels=[boat_c], incident_kind="crew_wages")
    guard = do_give_task(collision.maritime, by=cast.putuo_staff, agency=agency(AgencyKind.COAST_GUARD),
                         title="调取两船AIS轨迹", working_days=3)
    insurer = do_give_task(wages.maritime, by=cast.putuo_staff, agency=agency(AgencyKind.INSURER),
                           title="核定互保理赔", working_days=5)
    return {"collision": collision, "wages": wages, "guard": guard, "insurer": insurer,
            "boats": (boat_a, boat_b, boat_c)}


def test_an_agency_sees_only_the_cases_it_has_tasks_on(cast, two_cases):
    officer = cast.coastguard_officer
    assert list(Case.objects.visible_to(officer, "case.view")) == [two_cases["collision"]]
    assert list(MaritimeRecord.objects.visible_to(officer, "sea.view")) == [two_cases["collision"].maritime]
    assert list(AgencyTask.objects.visible_to(officer, "sea.view")) == [two_cases["guard"]]
    assert set(Vessel.objects.visible_to(officer, "sea.view")) == set(two_cases["boats"][:2])
    client = cast.client("coastguard_officer")
    assert client.get(reverse("cases:detail", args=[two_cases["collision"].pk])).status_code == 200
    assert_not_found_for(client, reverse("cases:detail", args=[two_cases["wages"].pk]))
    assert_not_found_for(client, reverse("maritime:task_detail", args=[two_cases["insurer"].pk]))
    assert_not_found_for(client, reverse("maritime:vessel_detail", args=[two_cases["boats"][2].pk]))
    assert client.get(reverse("maritime:task_detail", args=[two_cases["guard"].pk])).status_code == 200


def test_another_agency_on_the_same_case_does_not_see_the_first_ones_task(cast, two_cases):
    msa = do_give_task(two_cases["collision"].maritime, by=cast.putuo_staff, agency=agency(AgencyKind.MSA),
                       title="出具事故调查报告", working_days=10)
    assert list(AgencyTask.objects.visible_to(cast.msa_officer, "sea.view")) == [msa]
    assert list(AgencyTask.objects.visible_to(cast.coastguard_officer, "sea.view")) == [two_cases["guard"]]


def test_an_agency_with_no_task_sees_nothing(cast, two_cases):
    assert not Case.objects.visible_to(cast.tribunal_officer, "case.view").exists()
    assert not Vessel.objects.visible_to(cast.tribunal_officer, "sea.view").exists()
    api = cast.api("tribunal_officer")
    assert api.get("/api/v1/vessels/").json()["count"] == 0
    assert api.get(f"/api/v1/vessels/{two_cases['boats'][0].pk}/").status_code == 404
    assert api.get(f"/api/v1/cases/{two_cases['collision'].pk}/").status_code == 404


def test_the_agency_reports_its_task_done_and_not_anothers(cast, two_cases):
    with pytest.raises(PermissionRefused):
        do_complete_task(two_cases["insurer"], by=cast.coastguard_officer, outcome="x")
    with pytest.raises(InputError):
        do_complete_task(two_cases["guard"], by=cast.coastguard_officer, outcome=" ")
    task = do_complete_task(two_cases["guard"], by=cast.coastguard_officer, outcome="两船AIS轨迹已调取，附件已上传。")
    assert task.status == "done" and task.done_by == cast.coastguard_officer
    with pytest.raises(IllegalTransition):
        do_complete_task(task, by=cast.coastguard_officer, outcome="again")


def test_a_stale_task_page_is_refused(cast, two_cases):
    task = two_cases["guard"]
    client = cast.client("coastguard_officer")
    url = reverse("maritime:task_detail", args=[task.pk])
    response = client.post(url, {"outcome": "完成", "version": task.version + 1})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.status == "open"


def test_tasks_are_due_in_working_days(cast):
    case = sea_case(vessels=[vessel()])
    # Friday 2025-09-26 + 3 working days: the National Day holiday (1–8 October) lies ahead, with
    # Sunday 28 September a make-up working day → 28 Sep, 29 Sep, 30 Sep.
    with time_machine.travel(dt.datetime(2025, 9, 26, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        task = do_give_task(case.maritime, by=cast.putuo_staff, agency=agency(), title="调查", working_days=3)
    assert task.due == dt.date(2025, 9, 30)
    with time_machine.travel(dt.datetime(2025, 10, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False):
        assert list(AgencyTask.objects.overdue()) == [task]


def test_only_the_coordinating_centre_gives_tasks(cast):
    record = sea_case(vessels=[vessel()]).maritime
    for who in ("coastguard_officer", "bank_operator", "putuo_leader"):
        with pytest.raises(PermissionRefused):
            do_give_task(record, by=getattr(cast, who), agency=agency(), title="x", working_days=2)
    with pytest.raises(InputError) as refused:
        do_give_task(record, by=cast.maritime_mediator, agency=None, title="", working_days=0)
    assert set(refused.value.message_dict) == {"agency", "title", "working_days"}


def test_a_service_is_followed_to_its_outcome(cast):
    record = sea_case(vessels=[vessel()], incident_kind="crew_wages").maritime
    service = do_attach_service(record, by=cast.maritime_mediator, kind="wage_claim", note="船员工资12万元")
    with pytest.raises(IllegalTransition):
        do_attach_service(record, by=cast.maritime_mediator, kind="wage_claim")
    with pytest.raises(InputError):
        do_record_service_outcome(service, by=cast.maritime_mediator, status="open", outcome="")
    done = do_record_service_outcome(service, by=cast.maritime_mediator, status="succeeded", outcome="船东已支付",
                                     amount="120000")
    assert done.status == "succeeded" and Service.objects.get(pk=service.pk).amount == 120000


def test_overdue_tasks_are_announced_once_a_day(cast, two_cases):
    from yiwang.core import notices
    from yiwang.maritime.actions import do_remind_overdue_tasks

    heard = []
    notices.notice_announced.connect(heard.append)
    try:
        late = two_cases["guard"].due + dt.timedelta(days=1)
        assert do_remind_overdue_tasks(late) >= 1
        mine = [n for n in heard if n.about == two_cases["guard"]]
        assert {n.key for n in mine} == {f"maritime.task_overdue:{two_cases['guard'].pk}:{late.isoformat()}:agency",
                                         f"maritime.task_overdue:{two_cases['guard'].pk}:{late.isoformat()}:centre"}
        assert list(next(n for n in mine if n.recipients).recipients) == [cast.coastguard_officer]
        assert do_remind_overdue_tasks(two_cases["guard"].due) == 0  # not yet overdue on its last day
    finally:
        notices.notice_announced.disconnect(heard.append)


def test_an_agency_that_refers_a_dispute_follows_it(cast):
    guard = agency(AgencyKind.COAST_GUARD)
    case = sea_case(vessels=[vessel()], referred_by=guard.pk)
    assert case.maritime.referred_by == guard
    assert list(Case.objects.visible_to(cast.coastguard_officer, "case.view")) == [case]
    assert not Case.objects.visible_to(cast.msa_officer, "case.view").exists()
    with pytest.raises(InputError) as refused:
        sea_case(vessels=[vessel()], referred_by="999999")
    assert "referred_by" in refused.value.message_dict


def test_the_coast_guard_records_the_ais_positions_on_its_task(cast, two_cases):
    from yiwang.maritime.actions import do_record_position
    from yiwang.maritime.models import PositionFix

    task, boat_a, boat_c = two_cases["guard"], two_cases["boats"][0], two_cases["boats"][2]
    url = reverse("maritime:task_detail", args=[task.pk])
    client = cast.client("coastguard_officer")
    form = {"step": "position", "vessel": boat_a.name, "at": "2025-03-02T04:10", "latitude": "30.28",
            "longitude": "122.75", "source": "ais", "note": "AIS轨迹截图"}
    assert client.post(url, form).status_code == 302
    fix = PositionFix.objects.get(task=task)
    assert (fix.vessel, fix.zone_id, fix.sea_area_id, fix.recorded_by) == (boat_a, "95", "95-5", cast.coastguard_officer)
    page = client.get(reverse("cases:detail", args=[two_cases["collision"].pk])).content.decode()
    assert "AIS轨迹截图" in page  # on the case's card, for everyone who works it
    with pytest.raises(InputError) as refused:  # a vessel not involved in the case
        do_record_position(task.record, by=cast.coastguard_officer, task=task, vessel=boat_c.name,
                           at=fix.at, latitude="30.28", longitude="122.75", source="ais")
    assert "vessel" in refused.value.message_dict
    with pytest.raises(PermissionRefused):  # another agency's officer, even with the task in hand
        do_record_position(task.record, by=cast.insurer_officer, task=task, vessel=boat_a.name, at=fix.at,
                           latitude="30.28", longitude="122.75", source="ais")
    assert PositionFix.objects.count() == 1
