"""A party's own steps, relayed by whoever hears them (online: the centre's 解纷码 identity): the
respondent accepting mediation and a party rating the service. Each is an action like any other —
checked, on the timeline naming the party, audited — and its event's detail is read back through one
accessor (CaseEvent.party_step)."""

import pytest
from django.utils import translation

from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import EventKind, FollowUp, PartyStep, Status
from yiwang.cases.tests.test_pages_case import register
from yiwang.cases.tests.test_refusal import ROUTES, refuse, taken_on


def test_the_respondents_acceptance_is_on_the_timeline_in_their_name(cast):
    case = register(cast)
    respondent = case.parties.get(role="respondent")
    case = actions.do_record_party_acceptance(case, by=cast.liuheng_clerk, party=respondent)
    event = case.events.get(kind=EventKind.RESPONDENT_ACCEPTED)
    assert (event.actor, event.actor_name, event.permission) == (cast.liuheng_clerk, "李国强", "case.intake")
    assert event.party_step == PartyStep(party_id=respondent.pk, party_role="respondent", channel="online")
    with translation.override("zh-hans"):
        assert event.get_kind_display() == "被申请人在线同意调解"
    assert AuditEvent.objects.filter(verb="cases.respondent_accepted", object_id=str(case.pk)).exists()


def test_only_the_respondent_of_an_answerable_case_accepts_and_only_someone_in_scope_records_it(cast):
    case = register(cast)
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_record_party_acceptance(case, by=cast.liuheng_clerk, party=case.parties.get(role="applicant"))
    assert "party" in refused.value.message_dict
    with pytest.raises(actions.PermissionRefused):
        actions.do_record_party_acceptance(case, by=cast.shenjiamen_clerk, party=case.parties.get(role="respondent"))
    case = refuse(case, cast.liuheng_clerk)
    with pytest.raises(actions.IllegalTransition):
        actions.do_record_party_acceptance(case, by=cast.liuheng_clerk, party=case.parties.get(role="respondent"))
    assert not case.events.filter(kind=EventKind.RESPONDENT_ACCEPTED).exists()


def test_a_refusals_detail_is_read_back_through_the_accessor(cast):
    case = refuse(taken_on(cast, "accepted"), cast.liuheng_clerk)
    step = case.events.get(kind=EventKind.MEDIATION_REFUSED).party_step
    assert step.party_role == "respondent" and step.routes_told == ROUTES
    assert case.events.get(kind=EventKind.REGISTERED).party_step is None


def test_a_partys_rating_joins_the_follow_ups_once_mediation_is_over(cast):
    case = refuse(taken_on(cast, "accepted"), cast.liuheng_clerk)
    assert case.status == Status.TERMINATED
    applicant = case.parties.get(role="applicant")
    follow_up = actions.do_record_party_rating(case, by=cast.liuheng_clerk, party=applicant, satisfaction=4,
                                               note="申请人 欧阳海明：态度很好")
    assert (follow_up.method, follow_up.satisfaction, follow_up.by, follow_up.note) == (
        FollowUp.Method.ONLINE, 4, None, "申请人 欧阳海明：态度很好")
    event = case.events.get(kind=EventKind.PARTY_RATED)
    assert event.actor_name == "欧阳海明" and event.party_step.satisfaction == 4
    case.refresh_from_db()
    assert case.satisfaction is None  # the centre's own follow-up (do_follow_up) sets the case's score


@pytest.mark.parametrize("satisfaction", [0, 6, "x", None])
def test_a_rating_outside_one_to_five_is_refused(cast, satisfaction):
    case = refuse(taken_on(cast, "accepted"), cast.liuheng_clerk)
    with pytest.raises(actions.CaseInputError) as refused:
        actions.do_record_party_rating(case, by=cast.liuheng_clerk, party=case.parties.first(),
                                       satisfaction=satisfaction)
    assert "satisfaction" in refused.value.message_dict and not case.follow_ups.exists()


def test_a_rating_before_mediation_is_over_is_refused(cast):
    case = register(cast)
    with pytest.raises(actions.IllegalTransition):
        actions.do_record_party_rating(case, by=cast.liuheng_clerk, party=case.parties.first(), satisfaction=5)
    assert not case.follow_ups.exists()
