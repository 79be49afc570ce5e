"""/api/v1/cobuild/: lists scoped and paginated, the lifecycle as POST …/{id}/<step>/, in the schema."""

import pytest

from yiwang.cobuild.models import DemandState
from yiwang.cobuild.tests.helpers import offer, png, post_demand

pytestmark = pytest.mark.django_db


def test_the_lifecycle_through_the_api(co):
    community, unit = co.api("liuheng_community"), co.api("unit_liaison")
    from yiwang.cobuild.demo import first_liuheng_village

    response = community.post("/api/v1/cobuild/demands/", {
        "area": first_liuheng_village().code, "title": "水果滞销", "description": "需要推销会", "category": "produce",
        "size": 20, "needed_from": "2026-03-01", "needed_until": "2026-03-31", "contact_name": "陈先生",
        "contact_phone": "13805801234"}, format="json")
    assert response.status_code == 201, response.content
    demand = response.json()
    assert demand["steps"] == ["withdraw"]
    resource = offer()
    suggestions = community.get(f"/api/v1/cobuild/demands/{demand['id']}/suggestions/").json()
    assert suggestions[0]["resource"] == resource.pk and suggestions[0]["reasons"]
    url = f"/api/v1/cobuild/demands/{demand['id']}"
    stale = unit.post(f"{url}/claim/", {"version": demand["version"] + 5}, format="json")
    assert stale.status_code == 409
    claimed = unit.post(f"{url}/claim/", {"version": demand["version"], "resource": resource.pk}, format="json")
    assert claimed.status_code == 200 and claimed.json()["state"] == DemandState.CLAIMED
    assert unit.post(f"{url}/confirm/", {"version": claimed.json()["version"]}, format="json").status_code == 403
    confirmed = community.post(f"{url}/confirm/", {"version": claimed.json()["version"]}, format="json").json()
    reported = unit.post(f"{url}/report/", {"version": confirmed["version"], "report": "推销会", "photos": [png()]},
                         format="multipart")
    assert reported.status_code == 200 and reported.json()["claim"]["report"] == "推销会"
    closed = community.post(f"{url}/close/", {"version": reported.json()["version"]}, format="json")
    assert closed.json()["state"] == DemandState.CLOSED


def test_bad_input_is_a_400_and_nothing_is_saved(co):
    from yiwang.cobuild.demo import first_liuheng_village
    from yiwang.cobuild.models import Demand

    response = co.api("liuheng_community").post("/api/v1/cobuild/demands/", {
        "area": first_liuheng_village().code, "title": "x", "description": "y", "category": "produce", "size": 1,
        "needed_from": "2026-03-31", "needed_until": "2026-03-01", "contact_name": "陈", "contact_phone": "13805801234"},
        format="json")
    assert response.status_code == 400 and not Demand.objects.exists()
    assert "needed_until" in response.json()


def test_lists_are_paginated_and_the_steps_are_in_the_schema(co):
    post_demand()
    body = co.api("liuheng_community").get("/api/v1/cobuild/demands/").json()
    assert body["count"] == 1 and "results" in body
    for path in ("resources", "projects"):
        assert "results" in co.api("unit_liaison").get(f"/api/v1/cobuild/{path}/").json()
    schema = co.api("liuheng_community").get("/api/v1/openapi.json").json()["paths"]
    for step in ("claim", "confirm", "decline", "report", "close", "withdraw"):
        assert f"/api/v1/cobuild/demands/{{id}}/{step}/" in schema
    steps = {"projects": ("start", "milestone", "finish", "evaluate"), "pairings": ("renew", "record"),
             "organisations": ("update", "inspect"), "calls": ("close", "decide"),
             "applications": ("review", "conflict", "fund", "report", "midterm", "final", "pay-tranche")}
    for path, names in steps.items():
        assert "post" in schema[f"/api/v1/cobuild/{path}/"]
        for name in names:
            assert f"/api/v1/cobuild/{path}/{{id}}/{name}/" in schema, (path, name)
