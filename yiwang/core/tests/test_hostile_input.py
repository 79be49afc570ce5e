"""Hostile input answers a clear 4xx and saves nothing (issue 18, "Input"): Open311's numbers and NUL
bytes, JSON nested 50,000 deep, a 10 MB body, dates of receipt outside a sane range, impossible ID
numbers, too many applicants, facts of 1 MB, numbers where text belongs, full-width digits in amounts, and
an Idempotency-Key reused for a different request."""

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.areas.models import Area
from yiwang.cases.models import Case
from yiwang.cases.validators import id_check_character
from yiwang.grids.models import Open311Key, Problem

CASES = "/api/v1/cases/"
OPEN311 = "/open311/v2/requests.json"


def _village(town: str = "330903100") -> str:
    return Area.objects.filter(code__startswith=town, level="village").order_by("code").first().code


def _case(**extra) -> dict:
    body = {
        "channel": "phone", "dispute_type": "neighbourhood", "area": _village(),
        "facts": "楼上漏水导致楼下天花板受损", "claims": "赔偿维修费用3000元",
        "applicants": [{"name": "陈小红", "id_number": "33090319800101123X", "phone": "13857001234"}],
    }
    body.update(extra)
    return body


def _id(first17: str) -> str:
    return first17 + id_check_character(first17)


@pytest.fixture
def open311_key(cast):
    return Open311Key.objects.create(name="hostile", key="hostile-input-key", active=True)


def _report(**extra) -> dict:
    return {"api_key": "hostile-input-key", "service_code": "environment", "description": "路灯不亮",
            "address_string": "沈家门街道某路", **extra}


# ---------------------------------------------------------------------------------------------- Open311


@pytest.mark.parametrize(("lat", "long"), [("NaN", "122.3"), ("30.0", "nan"), ("Infinity", "122.3"),
                                           ("30.0", "-inf"), ("sNaN", "122.3")])
def test_open311_refuses_coordinates_that_are_not_finite_numbers(cast, open311_key, lat, long):
    before = Problem.objects.count()
    response = cast.client("putuo_staff").post(OPEN311, _report(lat=lat, long=long))
    assert response.status_code == 400
    assert "must be a number" in response.json()[0]["description"] or "数字" in response.json()[0]["description"]
    assert Problem.objects.count() == before


def test_open311_refuses_a_superscript_digit_as_a_request_id(cast):
    client = cast.client("putuo_staff")
    assert client.get(OPEN311, {"service_request_id": "²"}).status_code == 400
    assert client.get("/open311/v2/requests/².json").status_code == 404


@pytest.mark.parametrize("field", ["description", "address_string", "first_name", "phone", "service_code",
                                   "api_key"])
def test_a_nul_byte_in_any_open311_field_is_refused(cast, open311_key, field):
    before = Problem.objects.count()
    report = _report()
    report[field] = report.get(field, "x") + "\x00"
    response = cast.client("putuo_staff").post(OPEN311, report)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400 and "NUL" in response.json()[0]["description"]
    assert Problem.objects.count() == before


# ---------------------------------------------------------------------------------------------- any API


def test_a_nul_byte_in_a_json_string_or_key_is_refused(cast):
    api = cast.api("liuheng_clerk")
    before = Case.objects.count()
    for body in (_case(facts="漏水\x00"), {**_case(), "x\x00": 1},
                 _case(applicants=[{"name": "陈\x00小红", "phone": "13857001234"}])):
        response = api.post(CASES, body, format="json")
        assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert Case.objects.count() == before


def test_a_nul_byte_in_a_form_field_of_the_api_is_refused(cast):
    response = cast.api("liuheng_clerk").post(CASES, {"facts": "漏水\x00"})  # multipart
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


@pytest.mark.parametrize("url", [CASES, "/api/v1/finance/batches/", "/api/v1/cobuild/demands/", "/api/v1/token"])
def test_json_nested_fifty_thousand_deep_is_refused_with_400(cast, url):
    response = cast.api("putuo_staff").post(url, "[" * 50_000, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"] or "嵌套" in response.json()["detail"]


def test_json_just_past_the_depth_limit_is_refused_and_at_it_is_parsed(cast):
    from yiwang.core.parsers import MAX_DEPTH

    api = cast.api("liuheng_clerk")
    too_deep = api.post(CASES, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), content_type="application/json")
    assert too_deep.status_code == 400 and "嵌套" in too_deep.json()["detail"]
    at_limit = api.post(CASES, "[" * MAX_DEPTH + "]" * MAX_DEPTH, content_type="application/json")
    assert at_limit.status_code == 400 and "嵌套" not in str(at_limit.json())  # parsed; refused as input


def test_a_ten_megabyte_body_answers_a_json_413_and_saves_nothing(cast):
    before = Case.objects.count()
    big = '{"facts": "' + "x" * (10 * 1024 * 1024) + '"}'
    response = cast.api("liuheng_clerk").post(CASES, big, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert "MB" in response.json()["detail"]
    form = cast.api("liuheng_clerk").post(CASES, "facts=" + "x" * (3 * 1024 * 1024),
                                          content_type="application/x-www-form-urlencoded")
    assert form.status_code == 413 and "detail" in form.json()
    assert Case.objects.count() == before


# ---------------------------------------------------------------------------------------------- cases


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00:00Z", "1000-06-01T09:00:00+08:00",
                                         "1999-12-31T23:59:59+08:00", "9999-12-31T23:59:59-08:00"])
def test_a_time_of_receipt_outside_a_sane_range_is_refused(cast, received_at):
    before = Case.objects.count()
    response = cast.api("liuheng_clerk").post(CASES, _case(received_at=received_at), format="json")
    assert response.status_code == 400 and "received_at" in response.json()
    assert Case.objects.count() == before


def test_a_time_of_receipt_tomorrow_is_refused_and_this_year_accepted(cast):
    api = cast.api("liuheng_clerk")
    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert api.post(CASES, _case(received_at=tomorrow), format="json").status_code == 400
    earlier = (timezone.now() - dt.timedelta(days=3)).isoformat()
    assert api.post(CASES, _case(received_at=earlier), format="json").status_code == 201


@pytest.mark.parametrize("id_number", [
    _id("33090300000231123"),  # year 0000, 31 February
    _id("33090399991231123"),  # 9999-12-31
    _id("33090318990101123"),  # before 1900
    _id("33090319800230123"),  # 30 February
    _id("00000019800101123"),  # region 000000
    _id("99090319800101123"),  # no such province
    _id("33000019800101123"),  # a province, no county
])
def test_an_id_number_with_a_right_check_character_but_impossible_content_is_refused(cast, id_number):
    before = Case.objects.count()
    body = _case(applicants=[{"name": "陈小红", "id_number": id_number, "phone": "13857001234"}])
    response = cast.api("liuheng_clerk").post(CASES, body, format="json")
    assert response.status_code == 400 and "id_number" in response.json()["applicants"]["0"]
    assert Case.objects.count() == before


def test_an_id_number_born_after_today_is_refused():
    from django.core.exceptions import ValidationError

    from yiwang.cases.validators import validate_id_number

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="future|晚于今天"):
        validate_id_number(_id(f"330903{tomorrow:%Y%m%d}123"))
    validate_id_number(_id("33090319800101123"))


def test_twenty_thousand_applicants_are_refused_quickly(cast):
    from yiwang.cases.actions.intake import PARTIES_MAX

    many = [{"name": "陈小红", "phone": "13857001234"}] * 20_000
    before = Case.objects.count()
    response = cast.api("liuheng_clerk").post(CASES, _case(applicants=many), format="json")
    assert response.status_code == 400 and "applicants" in response.json()
    assert str(PARTIES_MAX) in str(response.json()["applicants"])
    assert Case.objects.count() == before


def test_facts_and_claims_of_a_megabyte_are_refused_and_the_limits_are_in_the_schema(cast):
    from yiwang.cases.actions.intake import CLAIMS_MAX, FACTS_MAX, PARTIES_MAX

    api = cast.api("liuheng_clerk")
    before = Case.objects.count()
    response = api.post(CASES, _case(facts="x" * 1_000_000, claims="赔" * (CLAIMS_MAX + 1)), format="json")
    assert response.status_code == 400 and {"facts", "claims"} <= set(response.json())
    assert Case.objects.count() == before
    schema = api.get("/api/v1/openapi.json").json()["components"]["schemas"]
    request = schema["CaseCreateRequest"]["properties"]
    assert request["facts"]["maxLength"] == FACTS_MAX and request["claims"]["maxLength"] == CLAIMS_MAX
    assert "maxItems" in request["applicants"] or str(PARTIES_MAX) in request["applicants"]["description"]


@pytest.mark.parametrize("change", [{"facts": 12345}, {"claims": 1.5}, {"area": 330903100},
                                    {"applicants": [{"name": 42, "phone": "13857001234"}]}])
def test_a_number_where_text_is_expected_is_refused(cast, change):
    before = Case.objects.count()
    response = cast.api("liuheng_clerk").post(CASES, _case(**change), format="json")
    assert response.status_code == 400, response.json()
    assert "text" in str(response.json()) or "文字" in str(response.json())
    assert Case.objects.count() == before


def test_full_width_digits_in_an_amount_are_read_as_the_same_amount(cast):
    api = cast.api("liuheng_clerk")
    response = api.post(CASES, _case(amount="３０００.５０"), format="json")
    assert response.status_code == 201, response.json()
    assert str(Case.objects.get(pk=response.json()["id"]).amount) == "3000.50"
    assert api.post(CASES, _case(amount="３０００．５０"), format="json").status_code == 400  # a full-width point


def test_the_same_idempotency_key_with_a_different_body_answers_422(cast):
    api = cast.api("liuheng_clerk")
    first = api.post(CASES, _case(), format="json", HTTP_IDEMPOTENCY_KEY="hostile-1")
    assert first.status_code == 201
    before = Case.objects.count()
    again = api.post(CASES, _case(), format="json", HTTP_IDEMPOTENCY_KEY="hostile-1")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    other = api.post(CASES, _case(claims="赔偿5000元"), format="json", HTTP_IDEMPOTENCY_KEY="hostile-1")
    assert other.status_code == 422
    assert "hostile-1" in other.json()["detail"] and first.json()["number"] in other.json()["detail"]
    assert Case.objects.count() == before


def test_the_same_idempotency_key_with_different_batch_rows_answers_422(cast, django_capture_on_commit_callbacks):
    from yiwang.finance.models import Batch
    from yiwang.finance.tests.helpers import good_rows

    api = cast.api("bank_operator")
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/finance/batches/", {"rows": good_rows(2, prefix="IDEM")}, format="json",
                         HTTP_IDEMPOTENCY_KEY="batch-1")
    assert first.status_code == 202, first.content
    again = api.post("/api/v1/finance/batches/", {"rows": good_rows(2, prefix="IDEM")}, format="json",
                     HTTP_IDEMPOTENCY_KEY="batch-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    before = Batch.objects.count()
    other = api.post("/api/v1/finance/batches/", {"rows": good_rows(3, prefix="IDEM")}, format="json",
                     HTTP_IDEMPOTENCY_KEY="batch-1")
    assert other.status_code == 422 and "batch-1" in other.json()["detail"]
    assert Batch.objects.count() == before


# ------------------------------------------------------------------------ the other APIs' text fields


def _vessel(**extra) -> dict:
    return {"name": "浙普渔64777", "kind": "trawler", "mmsi": "412700777", "owner_name": "傅海明",
            "owner_phone": "13967001234", **extra}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("owner_name", 12, ("not a number", "不是数字")),
    ("owner_name", 1.5, ("not a number", "不是数字")),
    ("owner_name", "傅\x07海明", ("control", "控制")),
    ("owner_name", "傅\x1b[31m海明", ("control", "控制")),
    ("owner_name", "傅\x00海明", ("NUL",)),
    ("owner_name", "傅" * 101, ("100",)),
    ("name", 64777, ("not a number", "不是数字")),
])
def test_the_vessel_api_refuses_hostile_text_and_saves_nothing(cast, field, value, message):
    from yiwang.maritime.models import Vessel

    before = Vessel.objects.count()
    response = cast.api("putuo_staff").post("/api/v1/vessels/", _vessel(**{field: value}), format="json")
    assert response.status_code == 400, response.content
    assert any(m in str(response.json()) for m in message), response.json()
    assert Vessel.objects.count() == before


def test_text_with_tabs_and_line_breaks_is_still_taken():
    from yiwang.core.fields import TextField

    assert TextField().run_validation("第一行\n第二行\r\n\t缩进") == "第一行\n第二行\r\n\t缩进"


def test_every_model_serializer_builds_strict_text_fields():
    from rest_framework import serializers

    from yiwang.core.fields import TextField
    from yiwang.maritime.models import Vessel

    class VesselSerializer(serializers.ModelSerializer):
        class Meta:
            model = Vessel
            fields = ["name", "owner_name", "owner_phone"]

    assert all(isinstance(f, TextField) for f in VesselSerializer().fields.values())
