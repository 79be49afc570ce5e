"""Open311 GeoReport v2 at /open311/v2/: the spec's examples in JSON and XML, and its errors."""

import datetime
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from yiwang.grids import actions
from yiwang.grids.models import Open311Key, Problem, State

KEY = "yiwang-demo-open311"
BASE = "/open311/v2"


@pytest.fixture
def client(demo):
    return Client()


def _post(client, fmt="json", **data):
    body = {"api_key": KEY, "service_code": "environment", "description": "路边垃圾成堆",
            "lat": "29.741000", "long": "122.300000"}
    body.update(data)
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(f"{BASE}/requests.{fmt}", body)


def _xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def test_services_list_the_problem_categories(client):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services = response.json()
    assert [s["service_code"] for s in services] == ["environment", "dispute", "safety", "livelihood", "other"]
    assert set(services[0]) == {"service_code", "service_name", "description", "metadata", "type", "keywords",
                                "group"}
    assert services[0]["metadata"] is False and services[0]["type"] == "realtime"
    root = _xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")][:2] == ["environment", "dispute"]
    assert root.find("service/metadata").text == "false"


def test_a_service_definition_and_an_unknown_service(client):
    assert client.get(f"{BASE}/services/dispute.json").json() == {"service_code": "dispute", "attributes": []}
    root = _xml(client.get(f"{BASE}/services/dispute.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "dispute"
    missing = client.get(f"{BASE}/services/potholes.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404 and missing.json()[0]["description"]


def test_posting_a_request_with_a_grid_code_lands_on_that_grid(client, liuheng_grid):
    response = _post(client, address_id=liuheng_grid.code, lat=None, long=None, first_name="明",
                     last_name="王", phone="13800000000")
    assert response.status_code == 200
    [row] = response.json()
    assert set(row) == {"service_request_id", "token", "service_notice", "account_id"}
    problem = Problem.objects.get(pk=row["service_request_id"])
    assert problem.grid == liuheng_grid and problem.area_id == liuheng_grid.area_id
    assert problem.channel == "open311" and problem.reporter_name == "王 明"
    assert problem.token == row["token"]


def test_posting_an_address_naming_a_grid_finds_it(client, liuheng_grid):
    address = f"{liuheng_grid.area.name}{liuheng_grid.name}渔港路12号"
    response = _post(client, address_string=address, lat=None, long=None)
    problem = Problem.objects.get(pk=response.json()[0]["service_request_id"])
    assert problem.grid == liuheng_grid


@pytest.mark.parametrize("location", [
    {"lat": "29.9", "long": "122.2"},
    {"address_string": "不知道在哪里的某条路", "lat": None, "long": None},
    {"address_string": "第1网格", "lat": None, "long": None},  # in every village: names no one grid
])
def test_a_request_naming_no_known_grid_goes_to_the_district_triage_queue(client, location, cast):
    response = _post(client, **location)
    assert response.status_code == 200
    problem = Problem.objects.get(pk=response.json()[0]["service_request_id"])
    assert problem.grid is None and problem.area_id == "330903" and problem.state == State.REPORTED
    # it is on the district's board and in its triage list, for the district's staff
    page = cast.client("putuo_staff").get("/grids/problems/?show=triage")
    assert problem in list(page.context["page"])
    assert cast.client("liuheng_staff").get(f"/grids/problems/{problem.pk}/").status_code == 404


def test_the_triage_district_is_the_configured_one(client, settings):
    """Another county's deployment (YIWANG_DISTRICT) triages there, not in 普陀区."""
    from yiwang.areas.models import Area

    Area.objects.create(code="330902", name="定海区", level="county", parent_id="3309")
    settings.YIWANG_DISTRICT = "330902"
    response = _post(client, address_string="不知道在哪里的某条路", lat=None, long=None)
    assert response.status_code == 200
    assert Problem.objects.get(pk=response.json()[0]["service_request_id"]).area_id == "330902"


def test_a_district_that_is_not_loaded_is_named_in_the_error(demo, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.YIWANG_DISTRICT = "330999"
    with pytest.raises(ImproperlyConfigured, match="YIWANG_DISTRICT=330999"):
        actions.triage_area()


def test_posting_in_xml(client):
    root = _xml(_post(client, fmt="xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text.isdigit()
    assert root.find("request/token").text


@pytest.mark.parametrize("api_key", [None, "", "wrong-key"])
def test_posting_without_a_valid_api_key_is_403(client, api_key):
    before = Problem.objects.count()
    response = _post(client, api_key=api_key)
    assert response.status_code == 403
    [error] = response.json()
    assert error["code"] == 403 and "api_key" in error["description"]
    assert Problem.objects.count() == before


def test_an_inactive_key_is_refused(client):
    Open311Key.objects.filter(key=KEY).update(active=False)
    assert _post(client).status_code == 403


@pytest.mark.parametrize("data, word", [
    ({"service_code": "potholes"}, "potholes"),
    ({"service_code": None}, "service_code"),
    ({"description": ""}, "description"),
    ({"lat": None, "long": None}, "address_string"),
    ({"lat": "abc"}, "lat"),
    ({"lat": "99"}, "lat"),
    ({"long": None}, "long"),
])
def test_bad_input_is_400_with_the_error_array_and_nothing_saved(client, data, word):
    before = Problem.objects.count()
    response = _post(client, **data)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and word in error["description"]
    assert Problem.objects.count() == before


def test_errors_in_xml(client):
    response = _post(client, fmt="xml", api_key="nope")
    assert response.status_code == 403
    root = _xml(response)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert root.findtext("error/description")


def test_get_a_request_in_both_formats_with_the_specs_fields_and_dates(client):
    problem_id = _post(client).json()[0]["service_request_id"]
    [row] = client.get(f"{BASE}/requests/{problem_id}.json").json()
    assert set(row) == {
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
        "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
        "address", "address_id", "zipcode", "lat", "long", "media_url",
    }
    assert row["status"] == "open" and row["status_notes"].startswith("reported")
    when = datetime.datetime.fromisoformat(row["requested_datetime"])
    assert when.utcoffset() == datetime.timedelta(hours=8) and row["requested_datetime"].endswith("+08:00")
    assert row["lat"] == 29.741 and row["long"] == 122.3
    root = _xml(client.get(f"{BASE}/requests/{problem_id}.xml"))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == problem_id
    assert root.findtext("request/status") == "open"


def test_unknown_request_ids_and_tokens_are_404(client):
    for url in (f"{BASE}/requests/999999.json", f"{BASE}/requests/abc.json", f"{BASE}/tokens/nothing.json"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()[0]["code"] == 404
    assert client.get(f"{BASE}/requests/999999.xml").status_code == 404


def test_a_token_gives_the_request_id(client):
    row = _post(client).json()[0]
    assert client.get(f"{BASE}/tokens/{row['token']}.json").json() == [
        {"service_request_id": row["service_request_id"], "token": row["token"]}
    ]


def test_the_full_state_shows_in_status_notes_and_closed_is_closed(client, cast, liuheng_grid):
    problem_id = _post(client, address_id=liuheng_grid.code).json()[0]["service_request_id"]
    problem = Problem.objects.get(pk=problem_id)
    actions.do_mark_invalid(problem, by=cast.liuheng_staff, version=problem.version, reason="重复上报")
    [row] = client.get(f"{BASE}/requests/{problem_id}.json").json()
    assert row["status"] == "closed" and row["status_notes"].startswith("invalid") and "重复上报" in row["status_notes"]


def test_listing_filters_by_id_code_status_and_dates(client, cast, liuheng_grid):
    first = _post(client, service_code="safety").json()[0]["service_request_id"]
    second = _post(client, service_code="environment", address_id=liuheng_grid.code).json()[0]["service_request_id"]
    old = Problem.objects.get(pk=first)
    Problem.objects.filter(pk=first).update(reported_at=old.reported_at - datetime.timedelta(days=120))
    ids = lambda response: [r["service_request_id"] for r in response.json()]  # noqa: E731
    # default window: the last 90 days
    assert ids(client.get(f"{BASE}/requests.json")) == [second]
    assert ids(client.get(f"{BASE}/requests.json", {"service_request_id": f"{first},{second}",
                                                     "status": "closed"})) == sorted([first, second], reverse=True)
    assert ids(client.get(f"{BASE}/requests.json", {"service_code": "safety",
                                                     "start_date": "2000-01-01T00:00:00+08:00"})) == [first]
    assert ids(client.get(f"{BASE}/requests.json", {"status": "closed"})) == []
    assert ids(client.get(f"{BASE}/requests.json", {"status": "open"})) == [second]
    end = (timezone.now() - datetime.timedelta(days=100)).isoformat(timespec="seconds")
    assert ids(client.get(f"{BASE}/requests.json", {"end_date": end})) == [first]
    root = _xml(client.get(f"{BASE}/requests.xml", {"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [second]


@pytest.mark.parametrize("query", [
    {"start_date": "yesterday"}, {"status": "pending"}, {"service_code": "potholes"},
    {"start_date": "2026-11-02T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"},
    {"service_request_id": "1;drop"},
])
def test_bad_list_filters_are_400(client, query):
    response = client.get(f"{BASE}/requests.json", query)
    assert response.status_code == 400 and response.json()[0]["code"] == 400


def test_a_posted_request_appears_on_the_right_board(client, cast, liuheng_grid):
    from yiwang.grids.boards import get_board, get_scope_for

    _post(client, address_id=liuheng_grid.code)
    assert get_board(get_scope_for(cast.liuheng_staff, "330903100")).new_today == 1
    assert get_board(get_scope_for(cast.admin, "330903001")).new_today == 0


def test_posting_needs_no_csrf_token(demo):
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict).status_code == 200


def test_discovery(client):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = _xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/url").text.endswith("/open311/v2/")


def test_problems_found_on_visits_are_not_published(client, cast, liuheng_grid):
    internal = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="dispute",
                                         description="两户因宅基地边界争执")
    assert client.get(f"{BASE}/requests/{internal.pk}.json").status_code == 404
    assert client.get(f"{BASE}/tokens/{internal.token}.json").status_code == 404
    assert str(internal.pk) not in [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
