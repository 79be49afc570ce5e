"""A case from intake to archive, and each step refused to those who may not take it."""

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.areas.models import Area, Organisation, OrganisationKind
from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import Case, Outcome, Status
from yiwang.testing.factories import sign_and_seal

LIUHENG_VILLAGE = None


def liuheng_village() -> str:
    return Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first().code


def applicant(**extra):
    return {"name": "张海明", "id_number": "33090319800101123X", "phone": "13857001234",
            "address": "舟山市普陀区六横镇", **extra}


def register(cast, by=None, **extra):
    values = dict(
        by=by or cast.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=liuheng_village(),
        facts="邻居修建围墙占用通道", claims="拆除围墙，恢复通行", applicants=[applicant()],
        respondents=[{"name": "李国强", "phone": "13905801234"}],
    )
    values.update(extra)
    return actions.do_register_case(**values)


def test_id_number_fixture_is_valid():
    from yiwang.cases.validators import id_check_character

    assert id_check_character("33090319800101123") == "X"


def test_registration_numbers_routes_and_owns_the_case(cast):
    case = register(cast)
    assert case.just_created
    assert case.status == Status.REGISTERED
    assert case.number.startswith(f"{case.registered_centre.code}-{timezone.localdate().year}-")
    assert case.owner == cast.liuheng_clerk and case.deadline is not None
    assert case.tier == "village" and case.centre.level == "village"
    assert case.visits == 1  # a walk-in is one trip
    assert case.parties.count() == 2
    assert case.events.get().kind == "registered"
    assert AuditEvent.objects.filter(verb="cases.registered", object_id=str(case.pk)).exists()


def test_a_case_goes_from_intake_to_archive(cast):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    assert case.status == Status.ASSIGNED and case.owner == cast.mediator_wang
    case = actions.do_start_mediation(case, by=cast.mediator_wang)
    assert case.mediation_deadline >= timezone.localdate() + dt.timedelta(days=30)
    actions.do_record_session(case, by=cast.mediator_wang, record="双方陈述意见")
    case.refresh_from_db()
    case = actions.do_record_agreement(
        case, by=cast.mediator_wang, facts="围墙占用通道", matters_in_dispute="通道归属",
        responsibilities="李国强负主要责任", content="李国强拆除围墙", performance_manner="自行拆除",
        performance_place="六横镇", performance_deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    # A draft until every party, the mediator and the committee's seal have signed (art. 29; issue 16).
    assert case.status == Status.MEDIATING and case.agreement.effective_on is None
    case = sign_and_seal(case, mediator=cast.mediator_wang)
    assert case.status == Status.AGREED and case.outcome == Outcome.AGREEMENT
    assert case.agreement.effective_on == timezone.localdate()
    assert case.agreement.parties_snapshot[0]["name"] == "张海明"
    case = actions.do_apply_confirmation(case, by=cast.mediator_wang)
    case = actions.do_record_confirmation(case, by=cast.court_liaison, accepted=True,
                                          court_case_number="(2026)浙0903民特1号")
    assert case.status == Status.CONFIRMED
    case = actions.do_record_performance(case, by=cast.mediator_wang, completed=True)
    case = actions.do_follow_up(case, by=cast.mediator_wang, satisfaction=5)
    case = actions.do_archive(case, by=cast.putuo_staff)
    assert case.status == Status.ARCHIVED and case.closed_at is not None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == "registered" and kinds[-1] == "archived"
    assert case.invariant_errors() == []


def test_failed_mediation_is_terminated_referred_and_its_number_recorded(cast):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.putuo_staff, mediators=[cast.mediator_wang])
    case = actions.do_start_mediation(case, by=cast.mediator_wang)
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_terminate(case, by=cast.mediator_wang, reason="被申请人拒绝调解", routes_told="")
    assert "routes_told" in refused.value.message_dict
    case = actions.do_terminate(case, by=cast.mediator_wang, reason="被申请人拒绝调解",
                                routes_told="告知可向普陀区人民法院起诉")
    assert case.outcome == Outcome.TERMINATED
    court = Organisation.objects.get(kind=OrganisationKind.COURT)
    with pytest.raises(actions.PermissionRefused):
        actions.do_refer(case, by=cast.mediator_wang, kind="litigation", body=court)
    actions.do_refer(case, by=cast.putuo_staff, kind="litigation", body=court)
    case.refresh_from_db()
    assert case.status == Status.REFERRED and case.outcome == Outcome.REFERRED
    referral = actions.do_record_referral_result(case, by=cast.court_liaison, external_number="(2026)浙0903民初88号")
    assert referral.external_number == "（2026）浙0903民初88号"


def test_a_clerk_may_not_mediate_and_a_mediator_not_on_the_case_may_not_start(cast):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    with pytest.raises(actions.PermissionRefused):
        actions.do_start_mediation(case, by=cast.liuheng_clerk)
    with pytest.raises(actions.PermissionRefused):
        actions.do_start_mediation(case, by=cast.maritime_mediator)
    assert Case.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_not_accepted_needs_a_reason_and_where_to_go(cast):
    case = register(cast)
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_not_accept(case, by=cast.liuheng_clerk, reason="", redirect="")
    assert set(refused.value.message_dict) == {"reason", "redirect"}
    case = actions.do_not_accept(case, by=cast.liuheng_clerk, reason="已进入诉讼程序", redirect="普陀区人民法院")
    assert not case.is_open and case.outcome == Outcome.NOT_ACCEPTED


def test_illegal_transition_is_refused_with_a_message(cast):
    case = register(cast)
    with pytest.raises(actions.IllegalTransition) as refused:
        actions.do_archive(case, by=cast.putuo_staff)
    assert refused.value.messages
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_the_database_itself_refuses_an_open_case_without_owner_or_a_closed_one_without_outcome(cast):
    from django.db import IntegrityError, transaction

    case = register(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(deadline=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=Status.ARCHIVED)
