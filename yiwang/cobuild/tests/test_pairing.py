"""结对共建: a district unit paired with a street's Party organisation, renewed year by year, with its record."""

import datetime as dt

import pytest

from yiwang.areas.models import Area
from yiwang.cobuild import actions
from yiwang.cobuild.tests.helpers import justice, social_centre
from yiwang.core import errors

pytestmark = pytest.mark.django_db


def _pair(co, **extra):
    fields = {"unit": justice(), "area": Area.objects.get(code="330903100"), "party_organisation": "六横镇“大工委”",
              "membership": "street", "starts_on": dt.date(2024, 3, 1), "ends_on": dt.date(2025, 2, 28),
              "unit_contact": "司法局 张", "area_contact": "镇党委 李", "commitments": "每季度送法进村一次"}
    fields.update(extra)
    return actions.do_pair(by=co.liuheng_office, **fields)


def test_a_pairing_is_renewed_and_its_work_recorded(co):
    pairing = _pair(co)
    actions.do_renew_pairing(pairing, by=co.liuheng_office, version=pairing.version, commitments="每月一次")
    assert (pairing.ends_on, pairing.renewals, pairing.commitments) == (dt.date(2026, 2, 28), 1, "每月一次")
    with pytest.raises(errors.StaleVersion):
        actions.do_renew_pairing(pairing, by=co.liuheng_office, version=1)
    item = actions.do_record_pairing_work(pairing, by=co.unit_liaison, date=dt.date(2025, 6, 6),
                                          text="在六横开展法律讲座", hours=4)
    assert list(pairing.records.all()) == [item]
    with pytest.raises(errors.PermissionRefused):  # another organisation's liaison
        actions.do_record_pairing_work(pairing, by=co.social_liaison, date=dt.date(2025, 6, 6), text="x")


def test_pairing_refusals(co):
    with pytest.raises(errors.InputError) as refused:
        _pair(co, unit=social_centre(), commitments=" ")
    assert {"unit", "commitments"} <= set(refused.value.message_dict)
    _pair(co)
    with pytest.raises(errors.InputError):
        _pair(co)  # the same unit and street again: renew instead
    with pytest.raises(errors.PermissionRefused):
        actions.do_pair(by=co.liuheng_community, unit=justice(), area=Area.objects.get(code="330903100"),
                        party_organisation="x", membership="street", starts_on=dt.date(2024, 1, 1),
                        ends_on=dt.date(2024, 12, 31), unit_contact="a", area_contact="b", commitments="c")


def test_a_unit_reads_its_own_pairings_on_the_api(co):
    pairing = _pair(co)
    assert co.api("unit_liaison").get("/api/v1/cobuild/pairings/").json()["count"] == 1
    assert co.api("social_liaison").get(f"/api/v1/cobuild/pairings/{pairing.pk}/").status_code == 404
    renewed = co.api("liuheng_office").post(f"/api/v1/cobuild/pairings/{pairing.pk}/renew/",
                                            {"version": pairing.version}, format="json")
    assert renewed.status_code == 200 and renewed.json()["ends_on"] == "2026-02-28"
