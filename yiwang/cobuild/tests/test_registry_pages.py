"""The entry forms of pairings (the agreement, what was done under it, the yearly renewal), of the social
organisation registry (register, update, incubation and status, inspection) and of 民主法治示范村 titles:
pages and API through the same actions, refusing what the actions refuse."""

import datetime as dt

import pytest

from yiwang.cobuild.models import DemocracyTitle, Pairing, PairingRecord, SocialOrganisation
from yiwang.cobuild.tests.helpers import justice
from yiwang.cobuild.tests.urlwalk_rules import SOCIAL_CODE

pytestmark = pytest.mark.django_db
LIUHENG = "330903100"


def test_a_pairing_is_recorded_worked_and_renewed_on_its_pages(co):
    office, unit = co.client("liuheng_office"), co.client("unit_liaison")
    form = {"unit": justice().pk, "area": LIUHENG, "party_organisation": "六横镇“大工委”", "membership": "street",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31", "unit_contact": "张", "area_contact": "李",
            "commitments": "送法进村"}
    assert office.post("/cobuild/pairings/new/", form).status_code == 302
    pairing = Pairing.objects.get(unit=justice())
    again = office.post("/cobuild/pairings/new/", form)  # the action's refusal, on the form
    assert again.status_code == 200 and "续签" in again.content.decode() and Pairing.objects.count() == 1
    assert unit.get("/cobuild/pairings/new/").status_code == 403
    page = unit.get(f"/cobuild/pairings/{pairing.pk}/").content.decode()
    assert 'id="record-form"' in page and 'id="renew-form"' not in page  # the unit records, the office renews
    unit.post(f"/cobuild/pairings/{pairing.pk}/record/", {"record-date": "2026-02-10", "record-text": "法律讲座",
                                                          "record-hours": "3"})
    ahead = unit.post(f"/cobuild/pairings/{pairing.pk}/record/", {"record-date": "2999-01-01",
                                                                  "record-text": "未来", "record-hours": "1"})
    assert ahead.status_code == 200 and list(PairingRecord.objects.values_list("text", flat=True)) == ["法律讲座"]
    office.post(f"/cobuild/pairings/{pairing.pk}/renew/", {"renew-version": pairing.version, "renew-commitments": ""})
    office.post(f"/cobuild/pairings/{pairing.pk}/renew/", {"renew-version": pairing.version})  # stale: refused
    pairing.refresh_from_db()
    assert (pairing.ends_on, pairing.renewals) == (dt.date(2027, 12, 31), 1)
    assert co.client("shenjiamen_community").get(f"/cobuild/pairings/{pairing.pk}/").status_code == 404
    api = co.api("unit_liaison").post(f"/api/v1/cobuild/pairings/{pairing.pk}/record/",
                                      {"date": "2026-03-01", "text": "结对走访", "hours": 2}, format="json")
    assert api.status_code == 201 and [r["text"] for r in api.json()["records"]] == ["结对走访", "法律讲座"]


def test_a_social_organisation_is_registered_incubated_and_inspected(co):
    office = co.client("liuheng_office")
    form = {"name": "六横渔嫂协会", "area": LIUHENG, "credit_code": SOCIAL_CODE[:-1] + "C",
            "registration_authority": "舟山市普陀区民政局", "registered_on": "2020-05-01", "field": "互助",
            "incubated": "on"}
    bad = office.post("/cobuild/organisations/new/", form)
    assert bad.status_code == 200 and "校验码" in bad.content.decode() and not SocialOrganisation.objects.exists()
    office.post("/cobuild/organisations/new/", {**form, "credit_code": SOCIAL_CODE})
    social = SocialOrganisation.objects.get()
    assert (social.kind, social.status, social.incubated) == ("association", "incubating", True)
    update = {"update-version": social.version, "update-registration_authority": "舟山市普陀区民政局",
              "update-field": "渔嫂互助", "update-party_organisation": "普陀区社会组织综合党委", "update-status": "active"}
    office.post(f"/cobuild/organisations/{social.pk}/", update)  # out of incubation
    office.post(f"/cobuild/organisations/{social.pk}/", {"inspect-year": "2025", "inspect-result": "passed"})
    social.refresh_from_db()
    assert (social.status, social.incubated, social.field, social.version) == ("active", False, "渔嫂互助", 2)
    assert list(social.inspections.values_list("year", "result")) == [(2025, "passed")]
    stale = office.post(f"/cobuild/organisations/{social.pk}/", update)
    assert stale.status_code == 200 and "刷新" in stale.content.decode()
    assert co.client("unit_liaison").post(f"/cobuild/organisations/{social.pk}/",
                                          {**update, "update-version": 2, "update-status": "suspended"}).status_code == 200
    social.refresh_from_db()
    assert social.status == "active"  # a unit's liaison keeps no registry: no form, nothing changed
    api = co.api("liuheng_office")
    url = f"/api/v1/cobuild/organisations/{social.pk}/update/"
    body = {"version": 2, "registration_authority": "舟山市普陀区民政局", "field": "互助", "status": "deregistered"}
    assert api.post(url, {**body, "version": 1}, format="json").status_code == 409
    assert api.post(url, body, format="json").json()["status"] == "deregistered"
    assert api.post(url, {**body, "version": 3, "status": "active"}, format="json").status_code == 409  # final
    social.organisation.refresh_from_db()
    assert social.organisation.active is False


def test_model_village_titles_are_recorded_and_shown_on_the_centre_page(co):
    from yiwang.areas.models import Area, Centre

    village = Area.objects.filter(code__startswith=LIUHENG, level="village").order_by("code").first()
    office = co.client("liuheng_office")
    office.post("/cobuild/titles/", {"area": village.code, "level": "provincial", "year": "2024"})
    bad = office.post("/cobuild/titles/", {"area": village.code, "level": "provincial", "year": "2999"})
    assert bad.status_code == 200 and list(DemocracyTitle.objects.values_list("year", flat=True)) == [2024]
    assert co.client("liuheng_community").post("/cobuild/titles/", {"area": village.code, "level": "city",
                                                                     "year": "2024"}).status_code == 403
    centre = Centre.objects.filter(area__code=LIUHENG).first() or Centre.objects.filter(level="district").first()
    page = co.client("admin").get(f"/centres/{centre.pk}/").content.decode()
    assert 'id="cobuild-centre"' in page and village.name in page and "省级" in page
