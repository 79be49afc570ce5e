"""Scope: demands are read as cases are, by area; a unit's grant reaches the open demands it may claim
and its own claims; outside, everything is a 404."""

import pytest

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Area, Organisation, OrganisationKind
from yiwang.cobuild.models import Demand
from yiwang.cobuild.tests.helpers import post_demand, walk
from yiwang.testing import assert_not_found_for

pytestmark = pytest.mark.django_db


def _outside_unit():
    """A unit of 定海区, with a co-building grant on its own district."""
    zhoushan = Area.objects.filter(code="330900").first()  # None when the file starts at the district
    dinghai, _ = Area.objects.get_or_create(code="330902", defaults={"name": "定海区", "level": "county",
                                                                      "parent": zhoushan})
    unit = Organisation.objects.create(name="定海区某局", kind=OrganisationKind.DISTRICT_UNIT, area=dinghai)
    user = User.objects.create(username="dinghai_unit")
    Grant.objects.create(user=user, role_id="cobuild_unit", area=dinghai, organisation=unit)
    return user


def test_a_unit_outside_the_district_sees_nothing(co):
    demand = post_demand()
    outsider = _outside_unit()
    assert not Demand.objects.visible_to(outsider, "cobuild.view").exists()
    from yiwang.testing import Cast

    client = Cast().client("dinghai_unit")
    assert_not_found_for(client, f"/cobuild/demands/{demand.pk}/")
    assert client.post(f"/cobuild/demands/{demand.pk}/claim/", {"version": demand.version}).status_code == 404
    demand.refresh_from_db()
    assert demand.state == "open"
    api = Cast().api("dinghai_unit")
    assert api.get("/api/v1/cobuild/demands/").json()["count"] == 0
    assert api.post(f"/api/v1/cobuild/demands/{demand.pk}/claim/", {"version": demand.version},
                    format="json").status_code == 404


def test_another_communitys_demand_is_a_404(co):
    demand = post_demand()
    client = co.client("shenjiamen_community")
    assert_not_found_for(client, f"/cobuild/demands/{demand.pk}/")
    assert client.post(f"/cobuild/demands/{demand.pk}/withdraw/", {"version": demand.version,
                                                                   "reason": "x"}).status_code == 404
    assert co.client("liuheng_community").get(f"/cobuild/demands/{demand.pk}/").status_code == 200


def test_a_unit_sees_open_demands_and_its_own_claims_not_another_units(co):
    open_one = post_demand(title="开放的需求")
    ours = walk(post_demand(title="我们认领的"), "claim")
    theirs = walk(post_demand(title="别人认领的"), "claim", unit="social_liaison")
    visible = set(Demand.objects.visible_to(co.unit_liaison, "cobuild.view"))
    assert visible == {open_one, ours}
    assert_not_found_for(co.client("unit_liaison"), f"/cobuild/demands/{theirs.pk}/")
    assert co.client("social_liaison").get(f"/cobuild/demands/{theirs.pk}/").status_code == 200


def test_the_contact_is_masked_for_a_unit_until_its_claim_is_confirmed(co):
    demand = post_demand()
    api = co.api("unit_liaison")
    assert api.get(f"/api/v1/cobuild/demands/{demand.pk}/").json()["contact_phone"] == "138****1234"
    walk(demand, "confirm")
    assert api.get(f"/api/v1/cobuild/demands/{demand.pk}/").json()["contact_phone"] == "13805801234"
    assert co.api("liuheng_community").get(
        f"/api/v1/cobuild/demands/{demand.pk}/").json()["contact_phone"] == "13805801234"


def test_staff_without_co_building_rights_get_no_list(co):
    assert co.client("putuo_staff").get("/cobuild/").status_code == 403
    assert co.client("liuheng_community").get("/cobuild/").status_code == 200
