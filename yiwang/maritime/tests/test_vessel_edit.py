"""Correcting a vessel's entry: on its page (version-checked, audited, checked as a new entry is) and in the
admin (scoped like every app's, checked by the same rules)."""

from django.urls import reverse

from yiwang.audit.models import AuditEvent
from yiwang.maritime.models import Vessel
from yiwang.maritime.tests.helpers import vessel


def _form(boat, **changes):
    fields = ["name", "kind", "registration_number", "home_port", "mmsi", "length_class", "gross_tonnage",
              "owner_kind", "owner_name", "owner_id_number", "owner_credit_code", "owner_phone", "operator_kind",
              "operator_name", "operator_id_number", "operator_credit_code", "operator_phone"]
    data = {name: getattr(boat, name) or "" for name in fields}
    data.update(chinese="on", version=boat.version, **changes)
    return data


def test_a_correction_checks_the_version_and_is_audited(cast):
    boat = vessel(by="liuheng_clerk")  # registered in 六横
    url = reverse("maritime:vessel_edit", args=[boat.pk])
    client = cast.client("liuheng_clerk")
    assert client.get(url).status_code == 200
    response = client.post(url, _form(boat, home_port="六横", mmsi="412700555"))
    assert response.status_code == 302
    boat.refresh_from_db()
    assert (boat.home_port, boat.mmsi, boat.version) == ("六横", "412700555", 2)
    event = AuditEvent.objects.get(verb="maritime.vessel_updated", object_id=str(boat.pk))
    assert sorted(event.detail["fields"]) == ["home_port", "mmsi"]
    stale = client.post(url, {**_form(boat, home_port="虾峙"), "version": "1"})  # opened before the change
    assert stale.status_code == 400 and "errors" in stale.content.decode()
    bad = client.post(url, _form(boat, mmsi="999000111"))
    assert bad.status_code == 400 and 'name="mmsi"' in bad.content.decode()
    boat.refresh_from_db()
    assert (boat.home_port, boat.mmsi, boat.version) == ("六横", "412700555", 2)


def test_only_those_who_register_vessels_in_its_area_may_correct_it(cast):
    boat = vessel(by="liuheng_clerk")
    url = reverse("maritime:vessel_edit", args=[boat.pk])
    assert cast.client("shenjiamen_clerk").get(reverse("maritime:vessel_detail", args=[boat.pk])).status_code == 200
    for outsider in ("shenjiamen_clerk", "maritime_mediator", "putuo_leader"):
        assert cast.client(outsider).post(url, _form(boat, home_port="沈家门")).status_code == 404
    assert cast.client("putuo_staff").get(url).status_code == 200  # the district registers everywhere
    boat.refresh_from_db()
    assert boat.home_port == "" and boat.version == 1


def test_the_admin_is_scoped_and_checks_as_the_registry_does(cast):
    from yiwang.maritime.admin import VesselForm

    district_boat, liuheng_boat = vessel(), vessel(by="liuheng_clerk")
    change = lambda boat: f"/admin/maritime/vessel/{boat.pk}/change/"  # noqa: E731
    assert cast.client("putuo_staff").get(change(district_boat)).status_code == 200
    assert cast.client("liuheng_clerk").get(change(liuheng_boat)).status_code == 200
    assert cast.client("liuheng_clerk").get(change(district_boat)).status_code == 403  # seen, not kept there
    form = VesselForm({**_form(liuheng_boat, name="浙普渔1"), "area": liuheng_boat.area_id}, instance=liuheng_boat)
    assert not form.is_valid() and "name" in form.errors
    assert Vessel.objects.get(pk=liuheng_boat.pk).name == liuheng_boat.name
    assert cast.client("putuo_staff").get("/admin/maritime/seaarea/W-SJM/change/").status_code == 200
    assert cast.client("putuo_staff").get("/admin/maritime/seaarea/add/").status_code == 403  # loaded from the file
    assert cast.client("putuo_staff").get("/admin/maritime/agency/").status_code == 200
