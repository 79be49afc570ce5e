"""好坏大家评: a resident rates finished work on the community's public page, once per phone number proven
by an SMS code; the ratings are public and count in the units' records."""

import re

import pytest
from django.test import Client

from yiwang.cobuild import ratings
from yiwang.cobuild.demo import first_liuheng_village
from yiwang.cobuild.models import Rating
from yiwang.cobuild.tests.helpers import post_demand, walk
from yiwang.core import errors

pytestmark = pytest.mark.django_db
PHONE = "13905807777"


def _code(sms) -> str:
    return re.search(r"\d{6}", [t for p, t in sms if p == PHONE][-1]).group()


def test_a_resident_rates_once_with_a_code(co, sms):
    demand = walk(post_demand(), "close")
    area = first_liuheng_village()
    ratings.do_request_code(PHONE)
    with pytest.raises(errors.ActionRefused):
        ratings.do_rate(area, phone=PHONE, code="000000" if _code(sms) != "000000" else "111111", demand=demand,
                        score=5)
    rating = ratings.do_rate(area, phone=PHONE, code=_code(sms), demand=demand, score=5, comment="推销会办得好")
    assert rating.phone_masked == "139****7777" and PHONE not in rating.phone_hash
    ratings.do_request_code(PHONE)
    with pytest.raises(errors.IllegalTransition):
        ratings.do_rate(area, phone=PHONE, code=_code(sms), demand=demand, score=1)
    assert Rating.objects.count() == 1
    [row] = ratings.get_records("330903")
    assert (row.name, row.claims, row.met, row.rating, row.ratings) == ("舟山市普陀区司法局", 1, 1, 5.0, 1)


def test_only_finished_work_of_the_community_is_rated(co, sms):
    open_demand = post_demand()
    ratings.do_request_code(PHONE)
    with pytest.raises(errors.InputError):
        ratings.do_rate(first_liuheng_village(), phone=PHONE, code=_code(sms), demand=open_demand, score=4)
    with pytest.raises(errors.InputError):
        ratings.do_request_code("12345")


def test_the_public_page_and_its_qr_code(co, sms):
    demand = walk(post_demand(title="锦绣瓜果推销会"), "close")
    code = first_liuheng_village().code
    client = Client()
    page = client.get(f"/cobuild/rate/{code}/").content.decode()
    assert "锦绣瓜果推销会" in page and 'id="rate-form"' in page
    client.post(f"/cobuild/rate/{code}/", {"phone": PHONE, "send_code": "1"})
    client.post(f"/cobuild/rate/{code}/", {"phone": PHONE, "code": _code(sms), "item": f"demand:{demand.pk}",
                                            "score": "4", "comment": "很及时"})
    page = Client().get(f"/cobuild/rate/{code}/").content.decode()  # anyone reads it
    assert "很及时" in page and "139****7777" in page and PHONE not in page
    svg = client.get(f"/cobuild/rate/{code}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert client.get("/cobuild/rate/330903100/").status_code == 404  # a town has no such page
