"""Suggested resources for an open demand: by category, then distance, capacity and time window, with the
reasons shown."""

import datetime as dt

import pytest

from yiwang.cobuild.demo import first_liuheng_village
from yiwang.cobuild.matching import get_suggestions
from yiwang.cobuild.tests.helpers import END, START, justice, offer, post_demand, social_centre

pytestmark = pytest.mark.django_db


def test_the_order_and_its_reasons(co):
    village = first_liuheng_village().code
    demand = post_demand(size=20)
    far = offer(title="区里的志愿者", capacity=100)  # the unit sits in the district (330903)
    street = offer(social_centre(), by="social_liaison", title="镇上的直播团队", capacity=50, area="330903100")
    small = offer(social_centre(), by="social_liaison", title="村里的小队", capacity=5, area=village)
    near = offer(social_centre(), by="social_liaison", title="村里的大队", capacity=25, area=village)
    partly = offer(title="月底才有空", capacity=100, start=dt.date(2026, 3, 25), end=dt.date(2026, 6, 1),
                   area=village)
    offer(title="只做法律服务", categories=("legal",), area=village)  # another category: not suggested
    offer(title="二月的场地", start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28), area=village)  # no overlap

    suggestions = get_suggestions(demand)
    assert [s.resource for s in suggestions] == [near, partly, small, street, far]
    reasons = {s.resource.title: s.reasons for s in suggestions}
    assert reasons["村里的大队"] == ["满足“农产品销售”", "在同一社区", "容量25可覆盖20的需求", "整个时段可用"]
    assert reasons["月底才有空"][3] == "可用31天中的7天"
    assert reasons["村里的小队"][2] == "容量5只覆盖20的需求的一部分"
    assert reasons["镇上的直播团队"][1] == "在同一街道（镇）"
    assert reasons["区里的志愿者"][1] == "在同一区"
    assert (START, END) == (demand.needed_from, demand.needed_until)


def test_an_inactive_resource_or_organisation_is_not_suggested(co):
    demand = post_demand()
    resource = offer()
    justice_unit = justice()
    justice_unit.active = False
    justice_unit.save(update_fields=["active"])
    assert get_suggestions(demand) == []
    justice_unit.active = True
    justice_unit.save(update_fields=["active"])
    resource.active = False
    resource.save(update_fields=["active"])
    assert get_suggestions(demand) == []
