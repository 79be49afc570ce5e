"""解纷码: a QR code per centre opens a filing page where a citizen files without an account."""

import re

import pytest
from django.test import Client

from yiwang.cases.models import Case, Channel, Party
from yiwang.core import crypto
from yiwang.online.models import PartyAccess, hash_token

FILING = {
    "dispute_type": "maritime", "area": "330903",
    "applicant_name": "上官海燕", "applicant_id_number": "330602198805120025", "applicant_phone": "13905751234",
    "applicant_address": "浙江省绍兴市越城区解放北路1号",
    "respondent_kind": "person", "respondent_name": "李大海", "respondent_phone": "13857001234",
    "respondent_id_number": "", "respondent_credit_code": "", "respondent_address": "舟山市普陀区沈家门",
    "facts": "2026年9月，浙普渔12345号渔船在东极海域与我父亲的渔船碰撞，造成船体受损。",
    "claims": "请求赔偿船体修理费及误工损失共计八万元。", "amount": "80000",
    "vessel_name": "浙普渔12345", "vessel_number": "", "sea_area": "东极海域",
}


def _type_pk(code):
    from yiwang.areas.models import DisputeType

    return DisputeType.objects.get(code=code).pk


def post(client, centre="PT", **changes):
    data = {**FILING, **changes}
    data["dispute_type"] = _type_pk(data["dispute_type"])
    return client.post(f"/jf/{centre}/", data)


def test_the_filing_page_opens_without_an_account(demo):
    response = Client().get("/jf/PT/")
    assert response.status_code == 200
    assert "普陀区社会治理中心" in response.text
    assert 'name="applicant_phone"' in response.text


def test_an_unknown_centre_code_is_404(demo):
    assert Client().get("/jf/NOPE/").status_code == 404


def test_a_citizen_files_and_gets_the_case_number_a_private_link_and_an_sms_with_a_code(demo, outbox):
    client = Client()
    response = post(client)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""

    case = Case.objects.get(parties__name="上官海燕")
    assert case.channel == Channel.ONLINE
    assert case.number.startswith("PT")
    assert case.dispute_type.maritime and case.vessel_name == "浙普渔12345"
    assert case.team is not None  # routed to the maritime team like any maritime case
    assert list(case.parties.values_list("role", "name")) == [("applicant", "上官海燕"), ("respondent", "李大海")]

    page = client.get(response["Location"])
    assert case.number in page.text
    link = re.search(r"http://testserver(/p/[^/\"<]+/)", page.text).group(1)
    token = link.split("/")[2]
    access = PartyAccess.objects.get(token_hash=hash_token(token))
    assert access.party.name == "上官海燕"

    phone, text = outbox[-1]
    assert phone == "13905751234"
    assert case.number in text and link in text and re.search(r"\d{6}", text)


@pytest.mark.parametrize("field, value", [
    ("applicant_id_number", "330602198805120026"),  # wrong check character
    ("applicant_phone", "12345"),
    ("respondent_phone", "2345678901"),
    ("respondent_name", ""),
    ("facts", ""),
    ("claims", ""),
    ("amount", "-5"),
    ("sea_area", ""),  # a maritime dispute needs its sea area
    ("area", "330902"),  # not a place this centre serves
    ("applicant_name", ""),
])
def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(demo, outbox, field, value):
    cases, parties, links = Case.objects.count(), Party.objects.count(), PartyAccess.objects.count()

    response = post(Client(), **{field: value})

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert 'class="errorlist"' in response.text
    assert (Case.objects.count(), Party.objects.count(), PartyAccess.objects.count()) == (cases, parties, links)
    assert outbox == []


def test_an_organisation_respondent_with_a_bad_credit_code_is_refused(demo):
    response = post(Client(), respondent_kind="organisation", respondent_name="某某渔业公司",
                    respondent_credit_code="91330903MA2A0000X0")
    assert "respondent_credit_code" in response.context["form"].errors


def test_a_town_centre_files_for_its_own_place_with_its_own_number(demo):
    response = post(Client(), centre="PT01", dispute_type="neighbourhood", area="330903001", vessel_name="",
                    sea_area="", amount="")
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get(parties__name="上官海燕")
    assert case.number.startswith("PT01") and case.registered_centre.code == "PT01"


@pytest.mark.parametrize("path, kind", [("qr.png", "image/png"), ("qr.svg", "image/svg+xml"),
                                        ("poster.pdf", "application/pdf")])
def test_the_qr_code_and_poster_are_public(demo, path, kind):
    response = Client().get(f"/jf/PT/{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == kind
    body = response.content
    assert body[:4] in (b"\x89PNG", b"%PDF") or b"<svg" in body




def test_filings_from_one_address_are_limited_per_hour(demo, outbox, settings):
    settings.ONLINE_FILINGS_PER_HOUR = 2
    client = Client()
    assert post(client).status_code == 302
    assert post(client, applicant_phone="13905750001").status_code == 302
    cases = Case.objects.count()

    response = post(client, applicant_phone="13905750002")

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Case.objects.count() == cases
    assert post(Client(REMOTE_ADDR="10.1.2.3"), applicant_phone="13905750002").status_code == 302


def test_no_message_floods_a_number_through_the_public_page(demo, outbox, settings):
    settings.SMS_CODES_PER_HOUR = 1
    client = Client()
    post(client)
    post(Client(REMOTE_ADDR="10.1.2.4"))  # someone files again with the same mobile number

    assert len([p for p, _ in outbox if p == "13905751234"]) == 1
    assert Case.objects.filter(crypto.match("parties__phone", "13905751234")).count() == 2  # the filing itself went through


def test_every_active_centre_has_its_code_listed(demo):
    from yiwang.areas.models import Centre

    page = Client().get("/jf/").text
    for centre in Centre.objects.filter(active=True)[:5]:
        assert f"/jf/{centre.code}/poster.pdf" in page
