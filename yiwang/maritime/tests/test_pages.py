"""The maritime pages: the morning page (with its SVG map), the registry and a vessel's page, the maritime
intake, the case card; and the online filing form showing the sea's fields only for maritime types."""

from django.urls import reverse

from yiwang.areas.models import Centre, DisputeType
from yiwang.cases.models import Case
from yiwang.maritime.actions import do_give_task
from yiwang.maritime.models import AgencyTask
from yiwang.maritime.tests.helpers import agency, sea_case, vessel
from yiwang.testing import factories as f


def test_the_morning_page_counts_by_zone_and_kind_and_draws_the_zones(cast):
    boat = vessel()
    sea_case(vessels=[boat], incident_kind="collision")
    sea_case(vessels=[boat], incident_kind="crew_wages")
    response = cast.client("maritime_mediator").get(reverse("maritime:morning"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg' in html and 'data-zone="104" data-open="2"' in html and 'data-water="W-SJM"' in html
    assert boat.name in html  # two disputes: a vessel with repeated disputes
    svg = cast.client("maritime_mediator").get(reverse("maritime:zones_svg"))
    assert svg["Content-Type"].startswith("image/svg+xml") and b'xmlns="http://www.w3.org/2000/svg"' in svg.content


def test_the_morning_page_lists_overdue_agency_tasks(cast):
    import datetime as dt

    record = sea_case(vessels=[vessel()]).maritime
    task = do_give_task(record, by=cast.putuo_staff, agency=agency(), title="调取AIS轨迹", working_days=1)
    AgencyTask.objects.filter(pk=task.pk).update(due=dt.date(2020, 1, 6))
    html = cast.client("maritime_mediator").get(reverse("maritime:morning")).content.decode()
    assert "调取AIS轨迹" in html


def test_a_vessel_page_masks_the_owner_until_asked_and_audited(cast):
    from yiwang.audit.models import AuditEvent

    boat = vessel(owner_name="欧阳海潮", owner_phone="13900001111")
    client = cast.client("putuo_staff")
    html = client.get(reverse("maritime:vessel_detail", args=[boat.pk])).content.decode()
    assert "欧**潮" in html and "13900001111" not in html
    html = client.get(reverse("maritime:vessel_detail", args=[boat.pk]) + "?pii=full").content.decode()
    assert "13900001111" in html
    assert AuditEvent.objects.filter(verb="maritime.pii_viewed", object_id=str(boat.pk)).exists()


def test_a_vessel_page_lists_the_cases_its_owner_is_a_party_to(cast):
    from yiwang.maritime.demo import _id_number

    owner_id = _id_number(7)
    boat = vessel(owner_id_number=owner_id)
    wages = f.register_case(by="putuo_staff", area="330903", dispute_type="labour",
                            respondents=[{"kind": "person", "name": "欧阳船东", "id_number": owner_id}])
    html = cast.client("putuo_staff").get(reverse("maritime:vessel_detail", args=[boat.pk])).content.decode()
    assert wages.number in html  # a crew's wage claim against the owner, filed without naming the boat
    assert wages.number not in cast.client("liuheng_clerk").get(
        reverse("maritime:vessel_detail", args=[boat.pk])).content.decode()  # not a case the clerk may open


def test_the_registry_keeper_registers_and_imports(cast):
    client = cast.client("shenjiamen_clerk")
    response = client.post(reverse("maritime:vessel_new"), {"name": "浙普渔1", "kind": "trawler", "owner_kind": "person",
                                                            "owner_name": "某"})
    assert response.status_code == 400 and "浙普渔64110" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = "name,kind,mmsi,owner_name\n浙普渔70001,gillnet,412799001,欧阳一\n浙普渔70002,trawler,412799002,欧阳二\n"
    response = client.post(reverse("maritime:vessel_import"), {"file": SimpleUploadedFile("v.csv", good.encode())})
    assert response.status_code == 302
    bad = "name,kind,mmsi,owner_name\n浙普渔70003,gillnet,412799003,欧阳三\n浙普渔7,trawler,999,欧阳四\n"
    response = client.post(reverse("maritime:vessel_import"), {"file": SimpleUploadedFile("v.csv", bad.encode())})
    assert response.status_code == 400 and "line 3" in response.content.decode()
    from yiwang.maritime.models import Vessel

    assert Vessel.objects.filter(name__in=["浙普渔70001", "浙普渔70002"]).count() == 2
    assert not Vessel.objects.filter(name="浙普渔70003").exists()  # all or nothing


def test_the_maritime_intake_page_registers_the_case(cast):
    boat = vessel()
    client = cast.client("putuo_staff")
    assert client.get(reverse("maritime:intake")).status_code == 200
    form = {"channel": "window", "dispute_type": "maritime", "incident_kind": "gear_damage",
            "latitude": "29.951", "longitude": "122.301", "vessels": boat.name, "facts": "网具被拖坏", "claims": "赔偿",
            "injured": "0", "dead": "0", "crew_involved": "0",
            "app-TOTAL_FORMS": "1", "app-INITIAL_FORMS": "0", "app-0-kind": "person", "app-0-name": "欧阳测",
            "app-0-phone": "13850000001", "resp-TOTAL_FORMS": "1", "resp-INITIAL_FORMS": "0", "resp-0-kind": "person"}
    response = client.post(reverse("maritime:intake"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(maritime__vessels=boat)
    assert case.area_id == "330903001"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="maritime"' in page and boat.name in page and "沈家门渔港" in page
    response = client.post(reverse("maritime:intake"), {**form, "latitude": "35.5", "longitude": "120.5"})
    assert response.status_code == 400 and Case.objects.count() == 1


def test_no_maritime_card_on_a_case_that_is_not_maritime(cast):
    case = f.register_case()
    page = cast.client("liuheng_clerk").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="maritime"' not in page


def test_the_online_form_shows_the_sea_only_for_maritime_types(cast):
    centre = Centre.objects.get(code="PT")
    client = cast.client("putuo_staff")
    html = client.get(reverse("online:file", args=[centre.code])).content.decode()
    maritime = DisputeType.objects.get(code="maritime")
    assert f'data-maritime-types="{maritime.pk}" hidden disabled' in html
    neighbourhood = DisputeType.objects.get(code="neighbourhood")
    form = {"dispute_type": neighbourhood.pk, "area": centre.area_id, "applicant_name": "欧阳测",
            "applicant_id_number": "330903199001010012", "applicant_phone": "13850000002",
            "applicant_address": "沈家门街道", "respondent_kind": "person", "respondent_name": "某某",
            "facts": "邻里纠纷", "claims": "道歉", "vessel_name": "浙普渔64110", "sea_area": "沈家门"}
    response = client.post(reverse("online:file", args=[centre.code]), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    filed = Case.objects.get(dispute_type=neighbourhood)
    assert (filed.vessel_name, filed.sea_area) == ("", "")  # never kept on a non-maritime filing
    response = client.post(reverse("online:file", args=[centre.code]), {**form, "dispute_type": maritime.pk,
                                                                        "vessel_name": ""})
    html = response.content.decode()
    assert f'data-maritime-types="{maritime.pk}">' in html  # a maritime filing shows them (with the error)


def test_the_staff_intake_shows_the_sea_only_for_maritime_types(cast):
    maritime = DisputeType.objects.get(code="maritime")
    neighbourhood = DisputeType.objects.get(code="neighbourhood")
    client = cast.client("liuheng_clerk")
    html = client.get(reverse("cases:intake")).content.decode()
    # Visible without JavaScript (no type chosen yet); the project's own script hides it for other types.
    assert f'<fieldset class="maritime" data-maritime-types="{maritime.pk}">' in html
    assert 'name="vessel_name"' in html and "/static/maritime/intake.js" in html
    form = {"channel": "window", "dispute_type": neighbourhood.pk, "area": "330903100", "facts": "邻里纠纷",
            "claims": "道歉", "people_involved": "1", "vessel_name": "浙普渔64110", "sea_area": "六横海域",
            "app-TOTAL_FORMS": "1", "app-INITIAL_FORMS": "0", "app-0-kind": "person", "app-0-name": "欧阳测",
            "app-0-phone": "13850000003", "resp-TOTAL_FORMS": "1", "resp-INITIAL_FORMS": "0", "resp-0-kind": "person"}
    assert client.post(reverse("cases:intake"), form).status_code == 302
    case = Case.objects.get(dispute_type=neighbourhood)
    assert (case.vessel_name, case.sea_area) == ("", "")  # ignored on land, whatever the form sent
    html = client.post(reverse("cases:intake"), {**form, "facts": ""}).content.decode()
    assert f'data-maritime-types="{maritime.pk}" hidden disabled' in html  # a type on land: hidden from the start


def test_the_mediator_schedules_a_session_on_board_from_the_case_page(cast, settings):
    from yiwang.online.models import ScheduledSession

    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    boat = vessel()
    case = f.advance_case(sea_case(vessels=[boat]), "mediating", clerk="putuo_staff", mediator="maritime_mediator")
    client = cast.client("maritime_mediator")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "sea_session" in page
    url = reverse("maritime:record_step", args=[case.pk, "sea_session"])
    form = {"mode": "on_board", "starts_at": "2099-06-01T09:30", "vessel": boat.name, "sea_area": "W-SJM",
            "version": case.version}
    assert client.post(url, form).status_code == 302
    assert boat.name in ScheduledSession.objects.get(case=case).place
    assert cast.client("mediator_wang").post(url, form).status_code in (302, 404)
    assert ScheduledSession.objects.filter(case=case).count() == 1  # another mediator was refused
