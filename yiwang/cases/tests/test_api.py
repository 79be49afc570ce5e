"""The cases API: registration exactly as issue 3 specifies, lists with filters, scope, PII, transitions."""

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.areas.models import Area
from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import Case, Status
from yiwang.testing import assert_not_found_for

SHENJIAMEN = "330903001"
LIUHENG = "330903100"


def village(town: str) -> str:
    return Area.objects.filter(code__startswith=town, level="village").order_by("code").first().code


def payload(**extra):
    body = {
        "channel": "phone",
        "dispute_type": "neighbourhood",
        "area": village(LIUHENG),
        "facts": "楼上漏水导致楼下天花板受损",
        "claims": "赔偿维修费用3000元",
        "applicants": [{"name": "陈小红", "id_number": "33090319800101123X", "phone": "13857001234",
                        "address": "六横镇某村12号"}],
        "respondents": [{"name": "周大伟", "phone": "13905801234"}],
    }
    body.update(extra)
    return body


def test_dispute_types_list_code_and_name(cast):
    response = cast.api("liuheng_clerk").get("/api/v1/dispute-types/")
    assert response.status_code == 200
    codes = {t["code"]: t["name"] for t in response.json()}
    assert codes["maritime"] == "海事渔事纠纷"


def test_register_answers_201_with_the_case(cast):
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "number", "status", "area", "received_at"} <= set(body)
    assert body["status"] == Status.REGISTERED and body["area"] == village(LIUHENG)
    case = Case.objects.get(pk=body["id"])
    assert case.number == body["number"] and case.parties.count() == 2


def test_the_same_idempotency_key_returns_the_same_case(cast):
    api = cast.api("liuheng_clerk")
    first = api.post("/api/v1/cases/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    before = Case.objects.count()
    again = api.post("/api/v1/cases/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == before
    other = api.post("/api/v1/cases/", payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.json()["id"] != first.json()["id"]


def test_registering_outside_ones_area_is_refused_and_saves_nothing(cast):
    before = Case.objects.count()
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", payload(area=village(SHENJIAMEN)), format="json")
    assert response.status_code == 403 and response.json()["detail"]
    assert Case.objects.count() == before


@pytest.fixture
def two_cases(cast):
    api_l, api_s = cast.api("liuheng_clerk"), cast.api("shenjiamen_clerk")
    liuheng = api_l.post("/api/v1/cases/", payload(), format="json").json()
    shenjiamen = api_s.post("/api/v1/cases/", payload(
        area=village(SHENJIAMEN), applicants=[{"name": "沈家明", "phone": "13857009999"}]), format="json").json()
    return liuheng, shenjiamen


def test_a_case_out_of_scope_is_404_exactly_like_missing(cast, two_cases):
    liuheng, shenjiamen = two_cases
    api = cast.api("liuheng_clerk")
    assert api.get(f"/api/v1/cases/{liuheng['id']}/").status_code == 200
    assert_not_found_for(api, f"/api/v1/cases/{shenjiamen['id']}/")
    assert api.get("/api/v1/cases/999999999/").status_code == 404
    assert api.post(f"/api/v1/cases/{shenjiamen['id']}/accept/", {}, format="json").status_code == 404
    assert Case.objects.get(pk=shenjiamen["id"]).status == Status.REGISTERED


def test_list_filters_by_area_status_dates_and_text(cast, two_cases):
    liuheng, shenjiamen = two_cases
    api = cast.api("putuo_staff")

    def ids(**params):
        response = api.get("/api/v1/cases/", params)
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()["results"]}

    assert {liuheng["id"], shenjiamen["id"]} <= ids()
    assert liuheng["id"] in ids(area=LIUHENG) and shenjiamen["id"] not in ids(area=LIUHENG)
    assert liuheng["id"] in ids(status="registered") and liuheng["id"] not in ids(status="accepted,archived")
    today = timezone.localdate()
    assert liuheng["id"] in ids(received_from=today.isoformat(), received_to=today.isoformat())
    assert liuheng["id"] not in ids(received_to=(today - dt.timedelta(days=1)).isoformat())
    assert ids(q="陈小红") >= {liuheng["id"]} and shenjiamen["id"] not in ids(q="陈小红")
    assert liuheng["id"] in ids(q="13857001234")
    assert ids(q=liuheng["number"]) == {liuheng["id"]}
    assert api.get("/api/v1/cases/", {"received_from": "yesterday"}).status_code == 400
    assert api.get("/api/v1/cases/", {"status": "nonsense"}).status_code == 400


def test_a_clerk_lists_only_cases_in_their_area(cast, two_cases):
    liuheng, shenjiamen = two_cases
    results = cast.api("liuheng_clerk").get("/api/v1/cases/").json()["results"]
    assert liuheng["id"] in {c["id"] for c in results}
    assert shenjiamen["id"] not in {c["id"] for c in results}


def test_lists_mask_personal_information_and_full_reads_are_audited(cast, two_cases):
    liuheng, _ = two_cases
    api = cast.api("liuheng_clerk")
    listed = next(c for c in api.get("/api/v1/cases/").json()["results"] if c["id"] == liuheng["id"])
    applicant = next(p for p in listed["parties"] if p["role"] == "applicant")
    assert applicant["phone"] == "138****1234" and applicant["name"] == "陈*红"
    assert "1980" not in applicant["id_number"]
    before = AuditEvent.objects.filter(verb="cases.pii_read").count()
    detail = api.get(f"/api/v1/cases/{liuheng['id']}/").json()
    applicant = next(p for p in detail["parties"] if p["role"] == "applicant")
    assert applicant["phone"] == "13857001234" and applicant["id_number"] == "33090319800101123X"
    assert AuditEvent.objects.filter(verb="cases.pii_read").count() == before + 1
    # A leader has no pii.view: masked even in the detail.
    leader = cast.api("putuo_leader").get(f"/api/v1/cases/{liuheng['id']}/").json()
    assert next(p for p in leader["parties"] if p["role"] == "applicant")["phone"] == "138****1234"


def test_transitions_through_the_api_and_a_stale_version_is_refused(cast, two_cases):
    liuheng, _ = two_cases
    api = cast.api("liuheng_clerk")
    url = f"/api/v1/cases/{liuheng['id']}"
    accepted = api.post(f"{url}/accept/", {"version": liuheng["version"]}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == Status.ACCEPTED
    stale = api.post(f"{url}/withdraw/", {"version": liuheng["version"], "reason": "申请人撤回"}, format="json")
    assert stale.status_code == 409 and stale.json()["detail"]
    assert Case.objects.get(pk=liuheng["id"]).status == Status.ACCEPTED
    mediator = cast.mediator_wang
    assigned = api.post(f"{url}/assign/", {"mediators": [mediator.pk]}, format="json")
    assert assigned.status_code == 200 and assigned.json()["status"] == Status.ASSIGNED
    refused = api.post(f"{url}/start-mediation/", {}, format="json")
    assert refused.status_code == 403
    started = cast.api("mediator_wang").post(f"{url}/start-mediation/", {}, format="json")
    assert started.status_code == 200 and "record_agreement" in started.json()["available_actions"]
    bad = cast.api("mediator_wang").post(f"{url}/record-agreement/", {
        "facts": "", "matters_in_dispute": "", "responsibilities": "", "content": "", "performance_manner": "",
        "performance_place": "", "performance_deadline": None}, format="json")
    assert bad.status_code == 400
    assert {"facts", "matters_in_dispute", "responsibilities", "content", "performance_manner",
            "performance_place", "performance_deadline"} <= set(bad.json())
    assert Case.objects.get(pk=liuheng["id"]).status == Status.MEDIATING
    wrong_state = api.post(f"{url}/archive/", {}, format="json")
    assert wrong_state.status_code in (403, 409)


def test_a_bank_registers_a_financial_dispute_for_itself(cast):
    from yiwang.cases.validators import credit_code_check_character

    first17 = "91330903MA2A12345"
    body = payload(channel="bank", dispute_type="financial", amount="380000.00", applicants=[{
        "kind": "organisation", "name": "浙江普陀农村商业银行", "credit_code": first17 + credit_code_check_character(first17),
    }])
    response = cast.api("bank_operator").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(pk=response.json()["id"])
    assert case.channel == "bank" and case.tier == "town"
    assert cast.api("bank_operator").post(f"/api/v1/cases/{case.pk}/accept/", {}, format="json").status_code == 403


def test_overdue_cases_are_listed(cast, two_cases):
    liuheng, _ = two_cases
    Case.objects.filter(pk=liuheng["id"]).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    results = cast.api("putuo_staff").get("/api/v1/cases/", {"overdue": "true"}).json()["results"]
    assert liuheng["id"] in {c["id"] for c in results} and all(c["overdue"] for c in results)


def test_merged_duplicates_are_listed_only_when_asked_for(cast):
    from yiwang.testing.factories import make_case

    kept = make_case("registered", by="putuo_staff")
    merged = make_case("registered", by="putuo_staff")
    actions.do_merge_cases(merged, into=kept, by=cast.putuo_staff, reason="同一纠纷重复登记")
    merged.refresh_from_db()
    assert merged.status == Status.MERGED
    api = cast.api("putuo_staff")
    default = api.get("/api/v1/cases/", {"q": merged.number}).json()["results"]
    assert merged.number not in [c["number"] for c in default]
    asked = api.get("/api/v1/cases/", {"q": merged.number, "status": "merged"}).json()["results"]
    assert [c["number"] for c in asked] == [merged.number]
    assert api.get(f"/api/v1/cases/{merged.pk}/").status_code == 200


def test_the_fields_other_apps_register_are_in_the_case_api_and_its_schema(cast):
    """core.registry.case_api_fields: e.g. the citizen side's sealed-agreement URL (null until sealed)."""
    from yiwang.core import registry

    names = registry.case_api_fields.names()
    assert "agreement_pdf" in names
    schema = cast.api("putuo_staff").get("/api/v1/openapi.json").json()["components"]["schemas"]
    for serializer in ("Case", "CaseDetail"):
        properties = schema[serializer]["properties"]
        assert set(names) <= set(properties), serializer
        assert properties["agreement_pdf"]["format"] == "uri" and properties["agreement_pdf"]["readOnly"]
    from yiwang.cases.tests.test_pages_case import register

    case = register(cast)
    row = cast.api("liuheng_clerk").get(f"/api/v1/cases/{case.pk}/").json()
    assert row["agreement_pdf"] is None
