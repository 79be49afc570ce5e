"""A person's data exported and corrected on request by staff holding pii.request, each step audited, through
the pages and the API; nobody else, and nothing out of scope."""

import json

import pytest

from yiwang.accounts.models import Grant, Role, User
from yiwang.audit.models import AuditEvent
from yiwang.cases.people import find_parties
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.privacy import actions
from yiwang.testing import factories as f

ID_NUMBER = "330903199001011234"


@pytest.fixture
def officer(cast):
    """A data-protection officer of 六横 (a role holding pii.request)."""
    role = Role.objects.create(code="privacy_officer", name="个人信息保护专员", actions=["case.view", "pii.request"])
    user = User.objects.create_user("liuheng_privacy", password="x" * 16)
    Grant.objects.create(user=user, role=role, area_id=f.LIUHENG)
    return user


@pytest.fixture
def person_cases(cast):
    person = f.applicant(name="欧阳明", id_number=ID_NUMBER)
    liuheng = f.make_case("agreed", applicants=[person])
    shenjiamen = f.register_case(by="shenjiamen_clerk", area=f.village(f.SHENJIAMEN), applicants=[dict(person)])
    return person, liuheng, shenjiamen


def test_the_lookup_is_one_function_by_id_number_or_phone(person_cases):
    person, liuheng, shenjiamen = person_cases
    assert {p.case_id for p in find_parties(id_number=ID_NUMBER.lower())} == {liuheng.pk, shenjiamen.pk}
    assert {p.case_id for p in find_parties(phone=person["phone"])} == {liuheng.pk, shenjiamen.pk}
    assert not find_parties().exists()


def test_export_holds_everything_in_scope_and_is_audited_without_the_full_identifier(officer, person_cases):
    person, liuheng, shenjiamen = person_cases
    data = actions.do_export_person(by=officer, id_number=ID_NUMBER)
    assert [c["case_number"] for c in data["cases"]] == [liuheng.number]  # 沈家门's case is outside 六横
    case = data["cases"][0]
    assert case["as_party"]["id_number"] == ID_NUMBER and case["facts"] == liuheng.facts
    assert case["timeline"] and case["agreements"][0]["parties"]
    json.dumps(data)  # JSON-ready
    event = AuditEvent.objects.get(verb="privacy.exported")
    assert event.actor_name == "liuheng_privacy" and event.detail["cases"] == [liuheng.number]
    assert ID_NUMBER not in json.dumps(event.detail) and event.detail["id_number"].endswith(ID_NUMBER[-4:])


def test_without_the_permission_or_an_identifier_nothing_is_exported(cast, officer, person_cases):
    with pytest.raises(PermissionRefused):
        actions.do_export_person(by=cast.liuheng_clerk, id_number=ID_NUMBER)
    with pytest.raises(InputError):
        actions.do_export_person(by=officer)
    assert not AuditEvent.objects.filter(verb="privacy.exported").exists()


def test_a_correction_changes_only_what_is_given_checked_and_audited(officer, person_cases):
    person, liuheng, shenjiamen = person_cases
    party = liuheng.parties.get(role="applicant")
    with pytest.raises(InputError) as refused:
        actions.do_correct_party(party, by=officer, reason="", phone="123", id_number="330903199001011235")
    assert set(refused.value.message_dict) == {"reason", "phone", "id_number"}
    with pytest.raises(PermissionRefused):
        actions.do_correct_party(shenjiamen.parties.get(role="applicant"), by=officer, reason="本人申请", name="欧阳敏")
    actions.do_correct_party(party, by=officer, reason="本人申请更正姓名和住址", name="欧阳敏", address="六横镇新址",
                             phone=person["phone"])
    party.refresh_from_db()
    assert (party.name, party.address, party.id_number) == ("欧阳敏", "六横镇新址", ID_NUMBER)
    event = AuditEvent.objects.get(verb="privacy.corrected")
    assert (event.object_id, event.detail["fields"], event.detail["reason"]) == (
        str(liuheng.pk), ["name", "address"], "本人申请更正姓名和住址")


def test_the_pages_find_export_and_correct(cast, officer, person_cases):
    person, liuheng, shenjiamen = person_cases
    client = cast.client("liuheng_privacy")
    page = client.get("/privacy/", {"id_number": ID_NUMBER}).content.decode()
    assert liuheng.number in page and shenjiamen.number not in page
    assert AuditEvent.objects.filter(verb="privacy.searched", detail__found=1).exists()
    response = client.post("/privacy/export.json", {"id_number": ID_NUMBER})
    assert response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["cases"][0]["case_number"] == liuheng.number
    party = liuheng.parties.get(role="applicant")
    client.post(f"/privacy/parties/{party.pk}/correct/", {"reason": "本人申请", "name": "欧阳敏", "back": "x"})
    party.refresh_from_db()
    assert party.name == "欧阳敏"
    outside = shenjiamen.parties.get(role="applicant")
    assert client.post(f"/privacy/parties/{outside.pk}/correct/", {"reason": "x", "name": "y"}).status_code == 404
    assert cast.client("liuheng_clerk").get("/privacy/").status_code == 403


def test_the_api_exports_and_corrects(cast, officer, person_cases):
    person, liuheng, shenjiamen = person_cases
    api = cast.api("liuheng_privacy")
    response = api.post("/api/v1/privacy/export/", {"phone": person["phone"]}, format="json")
    assert response.status_code == 200 and len(response.json()["cases"]) == 1
    assert api.post("/api/v1/privacy/export/", {}, format="json").status_code == 400
    party = liuheng.parties.get(role="applicant")
    response = api.post(f"/api/v1/privacy/parties/{party.pk}/correct/", {"reason": "本人申请", "address": "新址"},
                        format="json")
    assert response.status_code == 200 and response.json()["address"] == "新址"
    outside = shenjiamen.parties.get(role="applicant")
    assert api.post(f"/api/v1/privacy/parties/{outside.pk}/correct/", {"reason": "x"},
                    format="json").status_code == 404
    assert cast.api("liuheng_clerk").post("/api/v1/privacy/export/", {"phone": person["phone"]},
                                          format="json").status_code == 403
