"""POST /api/v1/triage/ and its public twin: top three with scores and routing, input limits, who may ask."""

import pytest
from django.core.cache import cache

from yiwang.triage.actions import MAX_TEXT

URL, PUBLIC = "/api/v1/triage/", "/api/v1/triage/public/"
FISHING_WAGES = "我在沈家门的渔船上干了三个月，船老大一直拖着工钱不给，一共八千多"


def test_staff_get_the_top_three_with_score_and_routing(cast):
    response = cast.api("liuheng_clerk").post(URL, {"text": FISHING_WAGES, "area": "330903100"}, format="json")
    assert response.status_code == 200, response.content
    suggestions = response.json()["suggestions"]
    assert len(suggestions) == 3
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions), reverse=True)
    best = suggestions[0]
    assert best["dispute_type"] == "maritime"
    # The existing routing: maritime goes to the district centre's maritime window and team.
    assert best["tier"] == "district" and best["centre"] == "普陀区社会治理中心"
    assert "海事渔事" in best["window"] and best["team"] == "海事渔事纠纷调解团队"


def test_without_an_area_the_tier_is_still_given(cast):
    response = cast.api("liuheng_clerk").post(URL, {"text": "楼上天天半夜拖椅子，吵得我们睡不着"}, format="json")
    best = response.json()["suggestions"][0]
    assert best["dispute_type"] == "neighbourhood" and best["tier"] == "village" and best["window"] == ""


@pytest.mark.parametrize("text", ["", "   ", "吵", "啊" * (MAX_TEXT + 1)])
def test_empty_short_or_too_long_text_is_a_400_with_a_message(cast, text):
    response = cast.api("liuheng_clerk").post(URL, {"text": text}, format="json")
    assert response.status_code == 400
    assert response.json()["text"], response.json()  # a message for the field, nothing else


def test_a_missing_text_is_a_400(cast):
    assert cast.api("liuheng_clerk").post(URL, {}, format="json").status_code == 400


def test_an_area_out_of_scope_is_404_and_an_unknown_one_400(cast):
    api = cast.api("liuheng_clerk")
    assert api.post(URL, {"text": FISHING_WAGES, "area": "330903001"}, format="json").status_code == 404
    assert api.post(URL, {"text": FISHING_WAGES, "area": "999999999"}, format="json").status_code == 400


def test_only_people_who_register_cases_may_ask(cast):
    from rest_framework.test import APIClient

    assert cast.api("grid_worker").post(URL, {"text": FISHING_WAGES}, format="json").status_code == 403
    assert APIClient().post(URL, {"text": FISHING_WAGES}, format="json").status_code in (401, 403)
    assert cast.api("liuheng_clerk").get(URL).status_code == 405


def test_the_public_twin_answers_anyone_with_types_only(cast):
    from rest_framework.test import APIClient

    cache.clear()
    response = APIClient().post(PUBLIC, {"text": "我想跟老公离婚，可是请不起律师，听说有免费的"}, format="json")
    assert response.status_code == 200
    best = response.json()["suggestions"][0]
    assert best["dispute_type"] == "legal_aid"
    assert set(best) == {"dispute_type", "id", "name", "score"}
    assert APIClient().post(PUBLIC, {"text": ""}, format="json").status_code == 400


def test_the_public_twin_is_rate_limited(cast, settings):
    from rest_framework.test import APIClient

    cache.clear()
    settings.TRIAGE_PUBLIC_RATE = "2/min"
    client = APIClient()
    answers = [client.post(PUBLIC, {"text": FISHING_WAGES}, format="json").status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    cache.clear()
