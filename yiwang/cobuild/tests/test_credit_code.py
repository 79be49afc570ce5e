"""统一社会信用代码 (GB 32100-2015): the check character, the organisation code inside it, and the kind of
social organisation its second character says; a bad code answers 400 on the API and saves nothing."""

import datetime as dt

import pytest

from yiwang.cobuild import actions
from yiwang.cobuild.creditcode import CreditCodeError, check_character, org_check_character, parse_credit_code
from yiwang.cobuild.models import SocialKind, SocialOrganisation
from yiwang.core import errors

# Published codes of well-known companies: their check characters are the real ones.
REAL = ["91330100799655058B", "9144030071526726XG"]


def _social(second: str, org8: str = "MJ8765432"[:8]) -> str:
    """A well-formed 民政 code of kind `second` in 普陀 (330903), with both check characters computed."""
    first16 = f"5{second}330903{org8}"
    first17 = first16 + org_check_character(org8)
    return first17 + check_character(first17)


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass(code):
    assert parse_credit_code(code).code == code
    assert parse_credit_code(code.lower()).code == code  # typed in lower case


@pytest.mark.parametrize(("code", "reason"), [
    ("91330100799655058C", "check"),  # the last character mistyped
    ("91330100799655085B", "organisation_code"),  # two characters swapped inside the organisation code
    ("9133010079965505", "length"),
    ("91330100799655O58B", "alphabet"),  # the letter O is not in the alphabet
    ("81330100799655058B", "authority"),
])
def test_bad_codes_fail_with_the_reason(code, reason):
    with pytest.raises(CreditCodeError) as failed:
        parse_credit_code(code)
    assert failed.value.reason == reason


def test_the_kind_comes_from_the_second_character():
    assert parse_credit_code(_social("1")).social_kind == "association"
    assert parse_credit_code(_social("2")).social_kind == "private_non_enterprise"
    assert parse_credit_code(_social("3")).social_kind == "foundation"
    assert parse_credit_code(REAL[0]).social_kind is None  # a company (市场监管)


@pytest.mark.django_db
def test_registering_derives_the_kind_and_refuses_a_bad_code(co):
    office = co.liuheng_office
    code = _social("2")
    social = actions.do_register_social_organisation(
        by=office, name="六横海岛志愿服务中心", area=co.liuheng_office.grants.first().area, credit_code=code,
        registration_authority="舟山市普陀区民政局", registered_on=dt.date(2020, 5, 1), field="志愿服务", incubated=True)
    assert social.kind == SocialKind.PRIVATE_NON_ENTERPRISE and social.status == "incubating"
    assert social.organisation.kind == "social" and social.organisation.credit_code == code
    with pytest.raises(errors.InputError) as refused:
        actions.do_register_social_organisation(
            by=office, name="重复", area=social.area, credit_code=code, registration_authority="民政局",
            registered_on=dt.date(2020, 5, 1), field="x")
    assert "credit_code" in refused.value.message_dict
    with pytest.raises(errors.InputError):  # a company's code is not a social organisation's
        actions.do_register_social_organisation(
            by=office, name="公司", area=social.area, credit_code=REAL[0], registration_authority="民政局",
            registered_on=dt.date(2020, 5, 1), field="x")
    inspection = actions.do_record_inspection(social, by=office, year=2024, result="passed")
    assert inspection.result == "passed"


@pytest.mark.django_db
def test_the_api_answers_400_to_a_bad_code_and_saves_nothing(co):
    api = co.api("liuheng_office")
    body = {"name": "六横文化促进会", "area": "330903100", "credit_code": _social("1")[:-1] + "0",
            "registration_authority": "舟山市普陀区民政局", "registered_on": "2019-03-01", "field": "文化"}
    if body["credit_code"] == _social("1"):
        body["credit_code"] = _social("1")[:-1] + "1"
    response = api.post("/api/v1/cobuild/organisations/", body, format="json")
    assert response.status_code == 400 and "credit_code" in response.json()
    assert not SocialOrganisation.objects.exists()
    body["credit_code"] = _social("1")
    created = api.post("/api/v1/cobuild/organisations/", body, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "association"
    assert api.get("/api/v1/cobuild/organisations/").json()["count"] == 1
    assert co.api("shenjiamen_community").get("/api/v1/cobuild/organisations/").json()["count"] == 0
