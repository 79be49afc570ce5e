"""GET/POST /api/v1/vessels/ (search by name, number, MMSI or owner; a bad 船名 or MMSI answers 400 per field),
GET /api/v1/vessels/{id}/ with its cases, GET /api/v1/sea-areas/?lat=&lon= (404 outside every zone), and the
case API's `vessels` and `sea_area`. Scoped like cases."""

from yiwang.maritime.actions import do_give_task
from yiwang.maritime.models import Vessel
from yiwang.maritime.tests.helpers import OFF_SHENJIAMEN, OUTSIDE, agency, sea_case, vessel


def test_register_a_vessel_and_read_it_back(cast):
    api = cast.api("putuo_staff")
    response = api.post("/api/v1/vessels/", {
        "name": "浙普渔64110", "kind": "trawler", "mmsi": "412700999", "gross_tonnage": "286",
        "owner_name": "傅海明", "owner_id_number": "330903196501010015", "owner_phone": "13967001234",
        "crew": [{"name": "张三", "position": "轮机长", "written_contract": False}]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "浙普渔64110" and body["fishing"] and body["crew"][0]["written_contract"] is False
    assert body["owner_phone"] == "13967001234"  # centre staff hold pii.view: in full, and audited


def test_bad_name_and_mmsi_answer_400_with_a_message_per_field(cast):
    api = cast.api("putuo_staff")
    response = api.post("/api/v1/vessels/", {"name": "浙普64110", "kind": "trawler", "mmsi": "12345",
                                             "owner_name": "某"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "mmsi"}
    assert not Vessel.objects.filter(name="浙普64110").exists()


def test_search_by_name_number_mmsi_or_owner(cast):
    boat = vessel(owner_name="欧阳海潮", registration_number="(浙普)船登(2020)0777号")
    vessel()
    api = cast.api("maritime_mediator")
    for q in (boat.name, "0777", boat.mmsi, "欧阳海潮"):
        results = api.get("/api/v1/vessels/", {"q": q}).json()["results"]
        assert [r["id"] for r in results] == [boat.pk], q
    listed = api.get("/api/v1/vessels/", {"q": boat.name}).json()["results"][0]
    assert listed["owner_name"] == "欧**潮" and "*" in listed["owner_phone"]  # the list masks


def test_a_vessel_with_its_cases_as_the_reader_may_see_them(cast):
    boat = vessel()
    case = sea_case(vessels=[boat, vessel()], incident_kind="collision")
    body = cast.api("maritime_mediator").get(f"/api/v1/vessels/{boat.pk}/").json()
    assert [c["number"] for c in body["cases"]] == [case.number]
    assert body["cases"][0]["incident_kind"] == "collision"
    # The bank sees no maritime registry at all; an agency without a task on it, 404.
    assert cast.api("bank_operator").get(f"/api/v1/vessels/{boat.pk}/").status_code == 404
    assert cast.api("coastguard_officer").get(f"/api/v1/vessels/{boat.pk}/").status_code == 404
    do_give_task(case.maritime, by=cast.putuo_staff, agency=agency(), title="调取AIS", working_days=2)
    assert cast.api("coastguard_officer").get(f"/api/v1/vessels/{boat.pk}/").status_code == 200


def test_sea_area_lookup(cast):
    api = cast.api("maritime_mediator")
    lat, lon = OFF_SHENJIAMEN
    body = api.get("/api/v1/sea-areas/", {"lat": lat, "lon": lon}).json()
    assert body["zone"]["code"] == "104" and body["subzone"]["code"] == "104-2" and body["water"]["code"] == "W-SJM"
    assert body["handling_area"] == {"code": "330903001", "name": "沈家门街道"}
    lat, lon = OUTSIDE
    assert api.get("/api/v1/sea-areas/", {"lat": lat, "lon": lon}).status_code == 404
    assert set(api.get("/api/v1/sea-areas/", {"lat": "x", "lon": "122"}).json()) == {"lat"}
    assert api.get("/api/v1/sea-areas/", {"kind": "zone"}).json()["count"] == 25
    assert cast.api("bank_operator").get("/api/v1/sea-areas/", {"lat": "29.95", "lon": "122.3"}).status_code == 404


def test_the_case_api_carries_vessels_and_sea_area(cast):
    boat = vessel()
    case = sea_case(vessels=[boat])
    body = cast.api("putuo_staff").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["vessels"] == [{"id": boat.pk, "name": boat.name, "mmsi": boat.mmsi}]
    assert body["sea_area"]["code"] == "W-SJM" and body["sea_area"]["zone"] == "104"
    listed = cast.api("putuo_staff").get("/api/v1/cases/").json()["results"]
    assert [row["vessels"] for row in listed if row["id"] == case.pk] == [body["vessels"]]
