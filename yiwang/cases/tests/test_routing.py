"""Routing across windows and tiers, escalation and delegation, duplicates and merging, supervision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from yiwang.areas.models import Area, Centre, Window, WindowKind
from yiwang.cases import actions
from yiwang.cases.models import Case, Outcome, Status, Tier


def village(town="330903100") -> str:
    return Area.objects.filter(code__startswith=town, level="village").order_by("code").first().code


def register(cast, by="liuheng_clerk", area=None, dispute_type="neighbourhood", phone="13857001111", **extra):
    return actions.do_register_case(
        by=getattr(cast, by), channel=extra.pop("channel", "window"), dispute_type=dispute_type,
        area=area or village(), facts="事实", claims="请求", applicants=[{"name": "王申请", "phone": phone}], **extra,
    )


def test_tier_follows_complexity(cast):
    assert actions.get_tier_for(type("T", (), {"maritime": False, "litigation_bound": False})(),
                                amount=Decimal(100)) == Tier.VILLAGE
    simple = register(cast)
    has_village_centre = Centre.objects.filter(level="village", area_id=village()).exists()
    assert simple.tier == (Tier.VILLAGE if has_village_centre else Tier.TOWN)  # no village centre: the town
    big = register(cast, amount="2000000", phone="13857001112")
    assert big.tier == Tier.DISTRICT and big.centre.code == "PT"
    group = register(cast, people_involved=5, phone="13857001113")
    assert group.tier == Tier.TOWN and group.centre.area_id == "330903100"


def test_a_simple_case_stays_at_the_village_centre_when_there_is_one(cast):
    with_centre = Centre.objects.filter(level="village", area__code__startswith="330903100").first()
    case = register(cast, area=with_centre.area_id)
    assert case.tier == Tier.VILLAGE and case.centre == with_centre


def test_comprehensive_window_hands_over_to_the_specialised_one(cast):
    district = Centre.objects.get(code="PT")
    comprehensive = Window.objects.get(centre=district, number=1)
    assert comprehensive.kind == WindowKind.COMPREHENSIVE
    case = register(cast, by="putuo_staff", dispute_type="labour", amount="2000000", window=comprehensive)
    assert case.window.kind == WindowKind.SPECIALISED and case.window.dispute_types.filter(code="labour").exists()
    assert case.events.get(kind="registered").detail["handed_from"] == str(comprehensive)


def test_maritime_disputes_go_to_the_maritime_team(cast):
    case = register(cast, dispute_type="maritime", vessel_name="浙普渔61234", sea_area="东极海域")
    assert case.team.name == "海事渔事纠纷调解团队" and case.tier == Tier.DISTRICT
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.putuo_staff, mediators=[cast.maritime_mediator])
    assert case.owner == cast.maritime_mediator


def test_escalation_keeps_number_and_history_and_names_a_leader_at_the_district(cast):
    case = register(cast, people_involved=5)
    number = case.number
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_escalate(case, by=cast.liuheng_clerk, reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_escalate(case, by=cast.liuheng_clerk, reason="涉及多个村，镇级难以协调")
    assert "lead_leader" in refused.value.message_dict
    case = actions.do_escalate(case, by=cast.liuheng_clerk, reason="涉及多个村，镇级难以协调",
                               lead_leader=cast.putuo_leader)
    assert case.tier == Tier.DISTRICT and case.lead_leader == cast.putuo_leader and case.owner == cast.putuo_leader
    assert case.number == number
    case = actions.do_delegate(case, by=cast.putuo_staff, reason="事实清楚，交镇里调处")
    assert case.tier == Tier.TOWN and case.lead_leader is None and case.number == number
    assert list(case.events.values_list("kind", flat=True)) == ["registered", "escalated", "delegated"]


def test_a_clerk_cannot_route_a_case_in_another_town(cast):
    case = register(cast, by="shenjiamen_clerk", area=village("330903001"))
    with pytest.raises(actions.PermissionRefused):
        actions.do_escalate(case, by=cast.liuheng_clerk, reason="越权", lead_leader=cast.putuo_leader)
    with pytest.raises(actions.PermissionRefused):
        actions.do_accept(case, by=cast.liuheng_clerk)
    assert Case.objects.get(pk=case.pk).version == case.version


def test_the_same_party_and_type_again_is_flagged_and_can_be_merged(cast):
    first = register(cast, channel="phone", phone="13857002222")
    actions.do_record_visit(first, by=cast.liuheng_clerk)
    second = register(cast, channel="hotline_12345", phone="13857002222")
    assert second.possible_duplicate == first
    other_type = register(cast, dispute_type="marriage_family", phone="13857002222")
    assert other_type.possible_duplicate is None
    first.refresh_from_db()
    into = actions.do_merge_cases(second, into=first, by=cast.liuheng_clerk, reason="同一纠纷经12345重复转办")
    second.refresh_from_db()
    assert second.status == Status.MERGED and second.merged_into == first and second.outcome == Outcome.MERGED
    assert into.visits == 1
    timeline = list(actions.get_timeline(into).values_list("case__number", "kind"))
    assert (second.number, "registered") in timeline and (first.number, "merged_in") in timeline
    with pytest.raises(actions.IllegalTransition):
        actions.do_merge_cases(into, into=second, by=cast.liuheng_clerk, reason="反向合并")


def test_visits_are_counted(cast):
    case = register(cast, channel="phone")
    assert case.visits == 0
    case = actions.do_record_visit(case, by=cast.liuheng_clerk, note="补交材料")
    case = actions.do_record_visit(case, by=cast.liuheng_clerk)
    assert case.visits == 2 and case.events.filter(kind="visit").count() == 2


def test_only_overdue_cases_are_supervised_and_only_by_supervisors(cast):
    case = register(cast)
    with pytest.raises(actions.IllegalTransition):
        actions.do_supervise(case, by=cast.putuo_staff, note="请加快办理")
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    case.refresh_from_db()
    assert case in Case.objects.overdue()
    with pytest.raises(actions.PermissionRefused):
        actions.do_supervise(case, by=cast.liuheng_clerk, note="请加快办理")
    case = actions.do_supervise(case, by=cast.putuo_staff, note="已超期，请三日内办结")
    assert case.supervisions == 1 and case.events.filter(kind="supervised").exists()


def test_a_recused_mediator_cannot_be_named_again(cast):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    case = actions.do_recuse(case, by=cast.liuheng_clerk, mediator=cast.mediator_wang, reason="与申请人系亲属")
    assert case.owner == cast.liuheng_clerk
    with pytest.raises(actions.CaseInputError):
        actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    with pytest.raises(actions.PermissionRefused):
        actions.do_start_mediation(case, by=cast.mediator_wang)


def test_judicial_confirmation_must_be_applied_for_within_thirty_days(cast):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    case = actions.do_start_mediation(case, by=cast.mediator_wang)
    import time_machine

    from yiwang.testing.factories import sign_and_seal

    signed = timezone.localdate() - dt.timedelta(days=40)
    with time_machine.travel(timezone.now() - dt.timedelta(days=40), tick=False):  # signed and sealed then
        case = sign_and_seal(actions.do_record_agreement(
            case, by=cast.mediator_wang, facts="事实", matters_in_dispute="争议", responsibilities="责任",
            content="内容", performance_manner="转账", performance_place="六横",
            performance_deadline=timezone.localdate() + dt.timedelta(days=50),
        ), mediator=cast.mediator_wang)
    assert case.agreement.effective_on == signed  # the seal's date, never typed
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_apply_confirmation(case, by=cast.mediator_wang)
    assert "applied_on" in refused.value.message_dict
    case = actions.do_apply_confirmation(case, by=cast.mediator_wang, applied_on=signed + dt.timedelta(days=29))
    with pytest.raises(actions.CaseInputError):
        actions.do_record_confirmation(case, by=cast.court_liaison, accepted=False, note="")
    case = actions.do_record_confirmation(case, by=cast.court_liaison, accepted=False, note="协议内容违反法律规定")
    assert case.status == Status.CONFIRMATION_REJECTED and case.agreement.confirmation_accepted is False


def test_the_api_names_only_who_and_what_the_page_offers(cast):
    """The leader in charge, the receiving body and the court are checked by the actions, so the API
    cannot name what the page's lists leave out; each refusal changes nothing."""
    from yiwang.areas.models import Organisation, OrganisationKind

    case = register(cast, people_involved=5)  # a town case
    api = cast.api("liuheng_clerk")
    response = api.post(f"/api/v1/cases/{case.pk}/escalate/", {
        "reason": "涉及多个村", "lead_leader": cast.mediator_wang.pk, "version": case.version}, format="json")
    assert response.status_code == 400 and "lead_leader" in response.json()
    assert Case.objects.get(pk=case.pk).tier == Tier.TOWN
    response = api.post(f"/api/v1/cases/{case.pk}/escalate/", {
        "reason": "涉及多个村", "lead_leader": cast.putuo_leader.pk, "version": case.version}, format="json")
    assert response.status_code == 200 and Case.objects.get(pk=case.pk).tier == Tier.DISTRICT

    # another town's court and a unit outside the acting staff's area
    elsewhere = Organisation.objects.create(name="沈家门法庭", kind=OrganisationKind.COURT, area_id="330903001")
    other = register(cast, phone="13857002222")
    other = actions.do_accept(other, by=cast.liuheng_clerk)
    other = actions.do_assign(other, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    other = actions.do_start_mediation(other, by=cast.mediator_wang)
    from yiwang.testing.factories import sign_and_seal

    signed = timezone.localdate()
    agreed = sign_and_seal(actions.do_record_agreement(
        other, by=cast.mediator_wang, facts="事实", matters_in_dispute="争议", responsibilities="责任",
        content="内容", performance_manner="转账", performance_place="六横", performance_deadline=signed,
    ), mediator=cast.mediator_wang)
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_apply_confirmation(agreed, by=cast.mediator_wang, court=elsewhere)
    assert "court" in refused.value.message_dict
    assert Case.objects.get(pk=agreed.pk).status == Status.AGREED

    third = register(cast, phone="13857003333")
    third = actions.do_accept(third, by=cast.liuheng_clerk)
    third = actions.do_assign(third, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    third = actions.do_start_mediation(third, by=cast.mediator_wang)
    third = actions.do_terminate(third, by=cast.mediator_wang, reason="拒绝调解", routes_told="可起诉")
    from yiwang.accounts.models import User

    town_staff = User.objects.get(username="liuheng_staff")
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_refer(third, by=town_staff, kind="litigation", body=elsewhere)
    assert "body" in refused.value.message_dict
    assert Case.objects.get(pk=third.pk).status == Status.TERMINATED
