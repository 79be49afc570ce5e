"""The respondent, invited by SMS, reads the claim and accepts or declines mediation (art. 17)."""

import re

from django.test import Client

from yiwang.cases.models import CaseEvent
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

    assert CaseEvent.objects.filter(case=case, kind="respondent_refused").exists()
    phone, text = outbox[-1]
    assert phone == "13905751234" and case.number in text
    assert "art. 26" in text or "第二十六条" in text
    client.post(url + "answer/", {"answer": "accept"})  # a refusal is not silently undone online
    assert case.parties.get(role="respondent").online_access.consent == "refused"


def test_the_applicant_cannot_answer_for_the_respondent(demo, outbox):
    case, token = file_case()
    url = f"/p/{token}/"
    client = Client()
    client.post(url, {"step": "send"})
    client.post(url, {"step": "verify", "code": re.search(r"\d{6}", outbox[-1][1]).group()})
    assert 'value="accept"' not in client.get(url).text

    client.post(url + "answer/", {"answer": "refuse"})

    assert not CaseEvent.objects.filter(case=case, kind__startswith="respondent_").exists()


def test_answering_needs_the_code(demo, outbox):
    case, _ = file_case()
    respondent = case.parties.get(role="respondent")
    demo.client("putuo_staff").post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")
    url = re.search(r"http://testserver(/p/[^/\s]+/)", outbox[-1][1]).group(1)

    assert Client().post(url + "answer/", {"answer": "refuse"}).status_code == 404
    assert not CaseEvent.objects.filter(case=case, kind__startswith="respondent_").exists()
