"""A party without their link reads how their case stands with the case number, the mobile on the case and
a code texted to it; the public page is rate-limited per address and tells strangers nothing."""

import re

import pytest

from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def code_in(sms, phone):
    return re.search(r"\d{6}", [t for p, t in sms if p == phone][-1]).group()


def test_number_mobile_and_code_show_the_citizens_timeline(client, cast, sms):
    case = f.make_case("assigned")
    phone = case.parties.get(role="applicant").phone
    response = client.post("/status/", {"step": "send", "number": case.number, "phone": phone})
    assert response.status_code == 200
    page = client.post("/status/", {"step": "check", "number": case.number, "phone": phone,
                                    "code": code_in(sms, phone)}).content.decode()
    assert case.number in page and 'class="timeline"' in page


def test_a_stranger_learns_nothing_and_gets_no_text(client, cast, sms):
    case = f.make_case("assigned")
    response = client.post("/status/", {"step": "send", "number": case.number, "phone": "13999999999"})
    assert response.status_code == 200 and all(p != "13999999999" for p, _ in sms)
    page = client.post("/status/", {"step": "check", "number": case.number, "phone": "13999999999",
                                    "code": "123456"}).content.decode()
    assert 'class="timeline"' not in page


def test_look_ups_are_limited_per_address(client, cast, settings):
    settings.NOTIFICATIONS_STATUS_LOOKUPS_PER_HOUR = 3
    case = f.make_case("registered")
    for _ in range(3):
        client.post("/status/", {"step": "check", "number": case.number, "phone": "13999999999", "code": "000000"})
    page = client.post("/status/", {"step": "check", "number": case.number, "phone": "13999999999",
                                    "code": "000000"}).content.decode()
    assert "Too many look-ups" in page or "查询次数过多" in page


def test_bad_input_is_refused_with_a_message(client, db):
    page = client.post("/status/", {"step": "send", "number": "", "phone": "12"}).content.decode()
    assert 'class="messages"' in page
