"""A town leader sees only the town's warnings; an outsider gets 404 on pages and API alike; the API's
fields and filters; the case page's panel."""

import pytest

from yiwang.testing import assert_not_found_for
from yiwang.testing import factories as f
from yiwang.warnings.models import Warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(cast):
    f.register_case(people_involved=35)
    f.register_case(by="shenjiamen_clerk", area=f.village("330903001"), people_involved=6)
    return Warning.objects.get(area__code__startswith="330903100"), Warning.objects.get(area__code__startswith="330903001")


def test_the_town_leader_sees_only_the_towns_warnings(two, cast):
    liuheng, shenjiamen = two
    api = cast.api("liuheng_leader")
    assert [row["id"] for row in api.get("/api/v1/warnings/").json()["results"]] == [liuheng.pk]
    assert api.get(f"/api/v1/warnings/{liuheng.pk}/").status_code == 200
    assert api.get(f"/api/v1/warnings/{shenjiamen.pk}/").status_code == 404
    assert api.post(f"/api/v1/warnings/{shenjiamen.pk}/acknowledge/", {"version": 1}).status_code == 404
    client = cast.client("liuheng_leader")
    assert_not_found_for(client, f"/warnings/{shenjiamen.pk}/")
    board = client.get("/warnings/").content.decode()
    assert f"#{liuheng.pk} " in board and f"#{shenjiamen.pk} " not in board
    district = cast.api("putuo_leader").get("/api/v1/warnings/").json()["results"]
    assert {row["id"] for row in district} == {liuheng.pk, shenjiamen.pk}


def test_someone_without_warning_view_gets_404_and_no_board(two, cast):
    liuheng, _ = two
    clerk = cast.api("liuheng_clerk")
    assert clerk.get(f"/api/v1/warnings/{liuheng.pk}/").status_code == 404
    assert clerk.get("/api/v1/warnings/").json()["results"] == []
    assert cast.client("liuheng_clerk").get("/warnings/").status_code == 403


def test_the_api_fields_and_filters(two, cast):
    liuheng, shenjiamen = two
    api = cast.api("putuo_leader")
    row = api.get(f"/api/v1/warnings/{liuheng.pk}/").json()
    assert {"id", "level", "rule", "explanation", "area", "cases", "raised_at", "status"} <= set(row)
    assert row["rule"] == "group.size" and row["level"] == "orange" and row["cases"] == list(
        liuheng.cases.values_list("pk", flat=True))

    def ids(query):
        return {r["id"] for r in api.get(f"/api/v1/warnings/?{query}").json()["results"]}
    assert ids("level=yellow") == {shenjiamen.pk}
    assert ids("area=330903100") == {liuheng.pk}
    assert ids("rule=group.size&status=raised") == {liuheng.pk, shenjiamen.pk}
    assert ids("status=resolved") == set()


def test_the_api_lifecycle(two, cast):
    liuheng, _ = two
    api = cast.api("liuheng_leader")
    response = api.post(f"/api/v1/warnings/{liuheng.pk}/acknowledge/", {"version": 1}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    assert api.post(f"/api/v1/warnings/{liuheng.pk}/acknowledge/", {"version": 1}, format="json").status_code == 409
    assert api.post(f"/api/v1/warnings/{liuheng.pk}/resolve/", {"version": 2}, format="json").status_code == 400
    done = api.post(f"/api/v1/warnings/{liuheng.pk}/dismiss/", {"version": 2, "note": "重复登记", "false_alarm": True},
                    format="json").json()
    assert done["status"] == "dismissed" and done["false_alarm"] is True


def test_the_case_page_shows_its_warnings_to_leaders_only(two, cast):
    liuheng, _ = two
    case = liuheng.cases.get()
    page = cast.client("putuo_leader").get(f"/cases/{case.pk}/").content.decode()
    assert f"/warnings/{liuheng.pk}/" in page and "涉及 35 人" in page
    assert f"/warnings/{liuheng.pk}/" not in cast.client("liuheng_clerk").get(f"/cases/{case.pk}/").content.decode()
