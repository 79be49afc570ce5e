"""After mediation, each party rates the service once; the rating joins the case's follow-up record."""

import re

from django.test import Client

from yiwang.cases.models import FollowUp
from yiwang.online.tests.factories import agreed_case, file_case


def proven(url, outbox):
    client = Client()
    client.post(url, {"step": "send"})
    client.post(url, {"step": "verify", "code": re.search(r"\d{6}", outbox[-1][1]).group()})
    return client


def test_a_party_rates_the_service_once_and_it_joins_the_follow_ups(demo, outbox):
    case, token = agreed_case(demo)
    url = f"/p/{token}/"
    client = proven(url, outbox)
    assert 'name="satisfaction"' in client.get(url).text

    client.post(url + "rate/", {"satisfaction": "5", "note": "调解员很耐心"})
    client.post(url + "rate/", {"satisfaction": "1"})  # a second rating is refused

    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.satisfaction == 5 and follow_up.method == "online" and "陈海燕" in follow_up.note
    assert "调解员很耐心" in follow_up.note
    access = case.parties.get(role="applicant").online_access
    assert access.satisfaction == 5 and access.rated_at
    assert 'name="satisfaction"' not in client.get(url).text


def test_no_rating_while_the_case_is_still_being_handled_or_out_of_range(demo, outbox):
    case, token = file_case()
    url = f"/p/{token}/"
    client = proven(url, outbox)
    assert 'name="satisfaction"' not in client.get(url).text
    client.post(url + "rate/", {"satisfaction": "4"})
    assert not FollowUp.objects.filter(case=case).exists()

    agreed, agreed_token = agreed_case(demo, applicant={"phone": "13600002222"})
    agreed_client = proven(f"/p/{agreed_token}/", outbox)
    for bad in ("0", "6", "x", ""):
        agreed_client.post(f"/p/{agreed_token}/rate/", {"satisfaction": bad})
    assert not FollowUp.objects.filter(case=agreed).exists()


def test_rating_needs_the_code(demo, outbox):
    case, token = agreed_case(demo)
    assert Client().post(f"/p/{token}/rate/", {"satisfaction": "5"}).status_code == 404
    assert not FollowUp.objects.filter(case=case).exists()
