"""公益创投 on its pages, as a street office and a social organisation use it: the office opens a call, the
organisation applies, the panel scores (a conflict declared is left out), the office closes the call,
funds in tranches (the last refused before a passed mid-term), the organisation reports, the office
evaluates and decides, and the results are public. The API takes the same steps."""

import datetime as dt
from decimal import Decimal

import pytest

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Area
from yiwang.cobuild import actions
from yiwang.cobuild.models import Tranche, VentureApplication, VentureCall
from yiwang.cobuild.tests.urlwalk_rules import SOCIAL_CODE

pytestmark = pytest.mark.django_db
LIUHENG = "330903100"


def _social(co):
    area = Area.objects.get(code=LIUHENG)
    social = actions.do_register_social_organisation(
        by=co.liuheng_office, name="六横海岛志愿服务中心", area=area, credit_code=SOCIAL_CODE,
        registration_authority="舟山市普陀区民政局", registered_on=dt.date(2020, 5, 1), field="志愿服务")
    Grant.objects.create(user=co.social_liaison, role_id="cobuild_unit", area=area, organisation=social.organisation)
    return social


def test_a_call_from_opening_to_public_results_on_its_pages(co, client):
    social = _social(co)
    panel = [User.objects.create(username=f"reviewer{n}", display_name=f"评审{n}") for n in range(3)]
    for reviewer in panel:  # panel members hold a grant in the street (the form offers those)
        Grant.objects.create(user=reviewer, role_id="cobuild_unit", area_id=LIUHENG,
                             organisation=social.organisation)
    office, liaison = co.client("liuheng_office"), co.client("social_liaison")
    form = {"area": LIUHENG, "title": "2026年六横公益创投", "budget": "100000", "opens_on": "2026-01-01",
            "closes_on": "2026-02-01", "reviewers": [u.pk for u in panel], "criteria": "需求契合 40\n方案可行 40\n预算合理 10"}
    bad = office.post("/cobuild/venture/new/", form)
    assert bad.status_code == 200 and "100" in bad.content.decode() and not VentureCall.objects.exists()
    office.post("/cobuild/venture/new/", {**form, "criteria": "需求契合 40\n方案可行 40\n预算合理 20"})
    call = VentureCall.objects.get()
    assert call.reviewers.count() == 3 and [c["points"] for c in call.criteria] == [40, 40, 20]
    assert f'href="/cobuild/venture/{call.pk}/apply/"' in liaison.get(f"/cobuild/venture/{call.pk}/").content.decode()
    liaison.post(f"/cobuild/venture/{call.pk}/apply/", {"applicant": social.pk, "title": "渔嫂互助",
                                                       "summary": "为渔民家庭提供互助服务", "amount": "30000"})
    application = VentureApplication.objects.get()
    url = f"/cobuild/venture/applications/{application.pk}"
    office.post(f"/cobuild/venture/{call.pk}/close/")
    page = _signed_in(client, panel[0]).get(f"{url}/").content.decode()
    assert 'id="step-review"' in page and 'id="step-fund"' not in page
    _signed_in(client, panel[0]).post(f"{url}/review/", {"score_c1": 36, "score_c2": 34, "score_c3": 18})  # 88
    _signed_in(client, panel[1]).post(f"{url}/conflict/", {"reason": "本人是该组织理事"})
    _signed_in(client, panel[2]).post(f"{url}/review/", {"score_c1": 30, "score_c2": 30, "score_c3": 12})  # 72
    office.post(f"{url}/fund/", {"version": application.version, "tranches": "18000,12000"})
    application.refresh_from_db()
    assert (application.state, application.review_score) == ("funded", Decimal("80.00"))
    first_tranche, last = Tranche.objects.filter(application=application).order_by("number")
    office.post(f"{url}/pay/", {"tranche": first_tranche.pk})
    refused = office.post(f"{url}/pay/", {"tranche": last.pk}, follow=True)
    assert "中期评估" in refused.content.decode()
    liaison.post(f"{url}/report/", {"version": application.version, "stage": "midterm", "text": "服务120户"})
    application.refresh_from_db()
    office.post(f"{url}/midterm/", {"version": application.version, "passed": "1", "note": "合格"})
    office.post(f"{url}/pay/", {"tranche": last.pk})
    application.refresh_from_db()
    liaison.post(f"{url}/report/", {"version": application.version, "stage": "final", "text": "服务300户"})
    application.refresh_from_db()
    office.post(f"{url}/final/", {"version": application.version, "score": "86"})
    office.post(f"/cobuild/venture/{call.pk}/decide/")
    application.refresh_from_db()
    call.refresh_from_db()
    assert (application.state, application.grade, application.final_report, call.state) == (
        "completed", "A", "服务300户", "decided")
    assert not Tranche.objects.filter(paid_on__isnull=True).exists()
    results = client.get(f"/cobuild/venture/{call.pk}/results/")
    assert results.status_code == 200 and "渔嫂互助" in results.content.decode()
    assert co.client("shenjiamen_community").get(f"{url}/").status_code == 404


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_call_and_application_api(co):
    social = _social(co)
    panel = [User.objects.create(username=f"panel{n}") for n in range(2)]
    api = co.api("liuheng_office")
    body = {"area": LIUHENG, "title": "创投", "budget": "50000", "opens_on": "2026-01-01", "closes_on": "2026-02-01",
            "reviewers": [u.pk for u in panel], "criteria": [{"name": "需求", "points": 60}, {"name": "方案", "points": 30}]}
    assert api.post("/api/v1/cobuild/calls/", body, format="json").status_code == 400  # 90 points
    body["criteria"][1]["points"] = 40
    call = api.post("/api/v1/cobuild/calls/", body, format="json").json()
    liaison = co.api("social_liaison")
    applied = liaison.post("/api/v1/cobuild/applications/", {"call": call["id"], "applicant": social.pk, "title": "互助",
                                                             "summary": "互助服务", "amount": "60000"}, format="json")
    assert applied.status_code == 400  # more than the whole budget
    applied = liaison.post("/api/v1/cobuild/applications/", {"call": call["id"], "applicant": social.pk, "title": "互助",
                                                             "summary": "互助服务", "amount": "20000"}, format="json")
    assert applied.status_code == 201, applied.content
    url = f"/api/v1/cobuild/applications/{applied.json()['id']}"
    assert api.post(f"/api/v1/cobuild/calls/{call['id']}/close/").json()["state"] == "reviewing"
    assert api.post(f"{url}/fund/", {"tranches": ["10000", "10000"]}, format="json").status_code == 409  # unscored
    from rest_framework.test import APIClient

    for member in panel:
        reviewer = APIClient()
        reviewer.force_authenticate(member)
        scored = reviewer.post(f"{url}/review/", {"scores": {"c1": 50, "c2": 30}}, format="json")
        assert scored.status_code == 200, scored.content
    funded = api.post(f"{url}/fund/", {"tranches": ["10000", "10000"]}, format="json")
    assert funded.json()["state"] == "funded" and funded.json()["review_score"] == "80.00"
    assert liaison.post(f"{url}/report/", {"stage": "final", "text": "完成"}, format="json").status_code == 409
