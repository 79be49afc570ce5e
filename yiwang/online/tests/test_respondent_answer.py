"""The respondent, invited by SMS, reads the claim and accepts or declines mediation (art. 17)."""

import re

import pytest
from django.test import Client

from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, CaseEvent
from yiwang.online.actions import do_answer_invitation, get_online_intake_user
from yiwang.online.tests.factories import file_case


def respondent_client(demo, outbox):
    case, _ = file_case()
    respondent = case.parties.get(role="respondent")
    demo.client("putuo_staff").post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")
    url = re.search(r"http://testserver(/p/[^/\s]+/)", outbox[-1][1]).group(1)
    client = Client()
    client.post(url, {"step": "send"})
    client.post(url, {"step": "verify", "code": re.search(r"\d{6}", outbox[-1][1]).group()})
    return case, url, client


def test_the_respondent_reads_the_claim_and_accepts(demo, outbox):
    case, url, client = respondent_client(demo, outbox)
    page = client.get(url).text
    assert "墙面开裂" in page and "请求赔偿修复费用" in page and 'value="accept"' in page

    client.post(url + "answer/", {"answer": "accept"})

    assert case.parties.get(role="respondent").online_access.consent == "accepted"
    assert CaseEvent.objects.filter(case=case, kind="respondent_accepted").exists()
    assert 'value="accept"' not in client.get(url).text


def test_a_refusal_tells_the_applicant_the_routes_that_remain(demo, outbox):
    case, url, client = respondent_client(demo, outbox)

    client.post(url + "answer/", {"answer": "refuse"})

    # Not yet accepted by the centre: the case is not accepted, with the routes as where to go instead.
    case.refresh_from_db()
    assert case.status == "not_accepted" and case.outcome == "not_accepted" and case.invariant_errors() == []
    assert "第二十六条" in case.routes_told and case.not_accepted_redirect
    event = CaseEvent.objects.get(case=case, kind="mediation_refused")
    assert event.actor == get_online_intake_user(case.centre) and "李大海" in event.reason
    phone, text = outbox[-1]
    assert phone == "13905751234" and case.number in text
    assert "art. 26" in text or "第二十六条" in text
    client.post(url + "answer/", {"answer": "accept"})  # a refusal is not silently undone online
    assert case.parties.get(role="respondent").online_access.consent == "refused"


def test_a_refusal_heard_by_staff_is_the_respondents_answer_online_too(demo, outbox):
    """The respondent phoned the centre to decline: staff record it in the case, and the respondent's own
    page no longer offers the choice but says they declined."""
    case, url, client = respondent_client(demo, outbox)
    respondent = case.parties.get(role="respondent")
    case_actions.do_record_refusal(case, by=demo.putuo_staff, party=respondent, reason="被申请人来电表示不同意调解",
                                   routes_told="可向人民法院起诉")
    access = case.parties.get(role="respondent").online_access
    assert access.consent == "refused" and access.consent_at is not None
    page = client.get(url).text
    assert 'value="accept"' not in page and "您已拒绝调解" in page


def test_an_applicants_refusal_is_not_recorded_as_a_respondents_answer(demo, outbox):
    from yiwang.online.actions import do_open_access

    case, url, client = respondent_client(demo, outbox)
    applicant = case.parties.get(role="applicant")
    do_open_access(applicant)
    case_actions.do_record_refusal(case, by=demo.putuo_staff, party=applicant, reason="申请人改变主意",
                                   routes_told="可向人民法院起诉")
    assert case.parties.get(role="applicant").online_access.consent == ""
    assert case.parties.get(role="respondent").online_access.consent == ""


def test_the_applicant_cannot_answer_for_the_respondent(demo, outbox):
    case, token = file_case()
    url = f"/p/{token}/"
    client = Client()
    client.post(url, {"step": "send"})
    client.post(url, {"step": "verify", "code": re.search(r"\d{6}", outbox[-1][1]).group()})
    assert 'value="accept"' not in client.get(url).text

    client.post(url + "answer/", {"answer": "refuse"})

    assert not CaseEvent.objects.filter(case=case, kind__in=["respondent_accepted", "mediation_refused"]).exists()
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_answering_needs_the_code(demo, outbox):
    case, _ = file_case()
    respondent = case.parties.get(role="respondent")
    demo.client("putuo_staff").post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")
    url = re.search(r"http://testserver(/p/[^/\s]+/)", outbox[-1][1]).group(1)

    assert Client().post(url + "answer/", {"answer": "refuse"}).status_code == 404
    assert not CaseEvent.objects.filter(case=case, kind__in=["respondent_accepted", "mediation_refused"]).exists()
    assert Case.objects.get(pk=case.pk).status == "registered"


@pytest.mark.parametrize("until", ["accepted", "assigned", "mediating"])
def test_a_refusal_after_the_centre_took_the_case_on_terminates_mediation(demo, outbox, until):
    case, url, client = respondent_client(demo, outbox)
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    if until != "accepted":
        case = case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])
    if until == "mediating":
        case = case_actions.do_start_mediation(case, by=demo.mediator_wang)

    client.post(url + "answer/", {"answer": "refuse"})

    case.refresh_from_db()
    assert case.status == "terminated" and case.outcome == "terminated" and "第二十六条" in case.routes_told
    assert case.is_open and case.owner and case.deadline and case.invariant_errors() == []
    assert CaseEvent.objects.get(case=case, kind="mediation_refused").from_status == until
    assert "第二十六条" in outbox[-1][1]
    # The respondent's own page says that mediation does not go on, and offers no answer any more.
    page = client.get(url).text
    assert "一方当事人拒绝调解，调解不再进行" in page
    assert 'value="accept"' not in page


def test_when_the_case_cannot_end_that_way_the_refusal_changes_nothing(demo, outbox, monkeypatch):
    """The disputes app refuses (here: someone changed the case meanwhile); the consent is not kept either,
    so the respondent can try again."""
    case, url, client = respondent_client(demo, outbox)
    access = case.parties.get(role="respondent").online_access

    def stale(*args, **kwargs):
        raise case_actions.StaleCase("changed meanwhile")

    monkeypatch.setattr(case_actions, "do_record_refusal", stale)
    with pytest.raises(Exception, match="changed meanwhile"):
        do_answer_invitation(access, accept=False)
    access.refresh_from_db()
    assert access.consent == "" and Case.objects.get(pk=case.pk).status == "registered"
    assert not CaseEvent.objects.filter(case=case, kind="mediation_refused").exists()
