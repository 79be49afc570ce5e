"""Duplicates by meaning: the same dispute registered again with another type and other contact details
is found by the text of its facts, and never across scope."""

import pytest

from yiwang.testing import factories as f
from yiwang.triage.duplicates import find_duplicates

FACTS = "六横台门村的李家在两家中间的通道上砌了一道围墙，我家的三轮车进不去，说了几次他都不理"
SHENJIAMEN = "330903001"


@pytest.fixture
def first(cast):
    return f.register_case(dispute_type="neighbourhood", facts=FACTS, claims="要求拆掉围墙")


def test_a_hotline_copy_with_another_type_is_found_by_its_text(cast, first):
    second = f.register_case(dispute_type="land_and_housing", channel="hotline_12345",
                             facts="台门村李家在两家中间的通道上砌了一道围墙，三轮车都进不去了",
                             claims="希望把围墙拆掉")
    assert second.possible_duplicate is None  # today's rule (same type, same ID or phone) misses it
    found = find_duplicates(second, f.user("liuheng_clerk"))
    assert [d.case.pk for d in found] == [first.pk]
    assert any("%" in r for r in found[0].reasons) and any("邻里" in r for r in found[0].reasons)
    assert 0.5 <= found[0].score <= 1


def test_an_unrelated_case_is_not_a_duplicate(cast, first):
    other = f.register_case(dispute_type="labour", facts="在水产加工厂做了五个月，老板欠工资不发",
                            claims="要求结清工资")
    assert find_duplicates(other, f.user("liuheng_clerk")) == []


def test_the_same_applicant_name_in_the_same_town_counts(cast, first):
    name = first.parties.get(role="applicant").name
    second = f.register_case(dispute_type="petition", facts="反映村里的路被堵的事情", claims="请村里处理",
                             applicants=[f.applicant(name=name)])
    found = find_duplicates(second, f.user("liuheng_clerk"))
    assert found and found[0].case.pk == first.pk


def test_none_across_scope(cast, first):
    elsewhere = f.register_case(by="shenjiamen_clerk", area=f.village(SHENJIAMEN), dispute_type="neighbourhood",
                                facts=FACTS, claims="要求拆掉围墙")
    assert find_duplicates(elsewhere, f.user("shenjiamen_clerk")) == []
    # Whoever sees both sees the pair.
    assert [d.case.pk for d in find_duplicates(elsewhere, f.user("putuo_staff"))] == [first.pk]


def test_the_api_and_the_case_page(cast, first):
    second = f.register_case(dispute_type="petition", facts=FACTS, claims="要求拆掉围墙")
    body = cast.api("liuheng_clerk").get(f"/api/v1/triage/duplicates/{second.pk}/").json()
    assert [d["case"] for d in body["duplicates"]] == [first.pk]
    assert cast.api("shenjiamen_clerk").get(f"/api/v1/triage/duplicates/{second.pk}/").status_code == 404
    page = cast.client("liuheng_clerk").get(f"/cases/{second.pk}/").content.decode()
    assert "triage-duplicates" in page and first.number in page


def test_a_vessel_in_common_counts_even_when_the_cases_name_it_differently(cast):
    from yiwang.maritime.tests.helpers import sea_case, vessel

    boat, other = vessel(), vessel()
    first = sea_case(vessels=[boat, other], facts="两船在沈家门渔港外碰擦，我方网具受损。")
    second = sea_case(vessels=[boat], facts="渔船靠泊时撞坏了码头边的养殖网箱。", claims="赔偿网箱损失。")
    assert first.vessel_name != second.vessel_name  # "A、B" against "A"
    found = find_duplicates(second, f.user("putuo_staff"))
    assert found and found[0].case.pk == first.pk and "同一船舶" in "；".join(found[0].reasons)
