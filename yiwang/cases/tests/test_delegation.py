"""委派调解, the round trip: a court's liaison registers a delegation with the court's 案号 (page and API,
idempotent); it runs 30 days, extended once and only with every party's consent; when mediation fails
or the period ends the case goes back to the court with its materials, and only then may the file be
closed. Another court's liaison sees none of it."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases import actions
from yiwang.cases.court import get_court_queue
from yiwang.cases.procedures import EXTENSION_POLICIES
from yiwang.core.calendar import add_days_rolled
from yiwang.testing import assert_not_found_for
from yiwang.testing.factories import advance_case, applicant, village

NUMBER = "（2026）浙0903民诉前调1201号"
CST = dt.timezone(dt.timedelta(hours=8))


def court():
    return Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("id").first()


def delegate(liaison, number=NUMBER, **extra):
    return actions.do_register_delegation(
        by=liaison, court=court(), court_case_number=number, dispute_type="neighbourhood", area=village(),
        facts="邻里通行纠纷，法院委派诉前调解。", claims="恢复通行。", applicants=[applicant()],
        respondents=[applicant()], **extra)


def mediating(case, cast):
    actions.do_accept(case, by=cast.putuo_staff)
    case = actions.do_assign(case.__class__.objects.get(pk=case.pk), by=cast.putuo_staff,
                             mediators=[cast.mediator_wang])
    return actions.do_start_mediation(case, by=cast.mediator_wang)


@pytest.fixture
def outsider_court_liaison(db):
    other = Organisation.objects.create(name="岱山县人民法院", kind=OrganisationKind.COURT, area_id="330903")
    user = User.objects.create_user("daishan_liaison", password="x")
    Grant.objects.create(user=user, role_id="court_liaison", area_id="330903", organisation=other)
    return user


def test_a_delegation_is_registered_once_runs_30_days_and_extends_only_with_every_partys_consent(
        cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 16, 10, 0, tzinfo=CST), tick=False)
    case = delegate(cast.court_liaison, number="(2026)浙0903民诉前调1201号")  # half-width: kept full-width
    assert case.just_created and case.channel == "court_delegation" and case.submitted_by_organisation == court()
    assert case.delegation.court_case_number == NUMBER
    assert case.delegation.period_ends == add_days_rolled(dt.date(2026, 11, 16), 30)
    again = delegate(cast.court_liaison)  # the court's system retries: the same case, nothing new
    assert again.pk == case.pk and not again.just_created
    with pytest.raises(actions.CaseInputError):
        delegate(cast.court_liaison, number="浙0903民初1号")
    with pytest.raises(actions.PermissionRefused):  # only the court's own liaison delegates
        delegate(cast.liuheng_clerk, number="（2026）浙0903民诉前调1202号")

    case = mediating(case, cast)
    assert case.mediation_deadline == case.delegation.period_ends
    parties = list(case.parties.all())
    with pytest.raises(actions.CaseInputError) as refused:  # one party's consent is not enough
        actions.do_extend(case, by=cast.mediator_wang, days=20, consent=True, consenting_parties=parties[:1])
    assert "consenting_parties" in refused.value.message_dict
    case = actions.do_extend(case, by=cast.mediator_wang, days=20, consent=True, consenting_parties=parties)
    assert case.delegation.period_ends == case.mediation_deadline and case.delegation.extensions == 1
    event = case.events.get(kind="extended")
    assert all(p.name in event.detail["consenting_parties"] for p in parties)
    assert EXTENSION_POLICIES["court_delegation"].max_extensions == 1
    with pytest.raises(actions.IllegalTransition):  # once
        actions.do_extend(case, by=cast.mediator_wang, days=5, consent=True, consenting_parties=parties)
    assert "extend" not in actions.get_available_actions(case, cast.mediator_wang)


def test_ordinary_mediation_extends_twice_by_at_most_30_days(cast):
    case = advance_case(actions.do_register_case(
        by=cast.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=village(), facts="围墙纠纷",
        claims="拆除", applicants=[applicant()]), "mediating")
    with pytest.raises(actions.CaseInputError):
        actions.do_extend(case, by=cast.mediator_wang, days=31, consent=True)
    case = actions.do_extend(case, by=cast.mediator_wang, days=30, consent=True)
    case = actions.do_extend(case, by=cast.mediator_wang, days=30, consent=True)
    with pytest.raises(actions.IllegalTransition):
        actions.do_extend(case, by=cast.mediator_wang, days=10, consent=True)


def test_a_failed_delegation_goes_back_to_the_court_with_its_materials_before_the_file_closes(cast):
    case = mediating(delegate(cast.court_liaison), cast)
    assert "return_to_court" not in actions.get_available_actions(case, cast.mediator_wang)  # still running
    case = actions.do_terminate(case, by=cast.mediator_wang, reason="被申请人拒绝调解", routes_told="可向法院起诉")
    for step in ("refer", "follow_up"):  # not an ordinary referral, not closed without the return
        with pytest.raises(actions.IllegalTransition):
            if step == "refer":
                actions.do_refer(case, by=cast.putuo_staff, kind="litigation", body=court())
            else:
                actions.do_follow_up(case, by=cast.mediator_wang, satisfaction=4)
    with pytest.raises(actions.CaseInputError):
        actions.do_return_to_court(case, by=cast.putuo_staff, reason="")
    case = actions.do_return_to_court(case, by=cast.putuo_staff, reason="调解不成，退回立案")
    assert case.status == "referred" and case.delegation.returned
    package = zipfile.ZipFile(io.BytesIO(case.delegation.return_package.file.read()))
    assert package.namelist()[0] == "01-委派调解退回函.pdf"
    event = case.events.get(kind="returned_to_court")
    assert event.detail["court_case_number"] == NUMBER and len(event.detail["package_sha256"]) == 64
    queue = get_court_queue(cast.court_liaison)
    assert case in queue.returned and any(r.case_id == case.pk for r in queue.referrals)
    # The court files it: its 案号 comes back; then the file may close.
    actions.do_record_referral_result(case, by=cast.court_liaison, external_number="（2026）浙0903民初1301号")
    case = actions.do_follow_up(case.__class__.objects.get(pk=case.pk), by=cast.mediator_wang, satisfaction=4)
    assert actions.do_archive(case, by=cast.putuo_staff).status == "archived"


def test_a_delegation_whose_period_ended_goes_back_from_mediation(cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 16, 10, 0, tzinfo=CST), tick=False)
    case = mediating(delegate(cast.court_liaison), cast)
    time_machine.shift(dt.timedelta(days=45))
    assert "return_to_court" in actions.get_available_actions(case, cast.putuo_staff)
    case = actions.do_return_to_court(case, by=cast.putuo_staff, reason="委派调解期限届满")
    assert case.status == "referred" and case.outcome == "referred"
    assert case.events.get(kind="returned_to_court").from_status == "mediating"


def test_the_liaison_registers_on_the_page_and_through_the_api_and_another_court_sees_none(
        cast, outsider_court_liaison, client):
    page = cast.client("court_liaison").get(reverse("cases:court_delegation"))
    assert page.status_code == 200 and 'name="court_case_number"' in page.content.decode()
    form = {"court": court().pk, "court_case_number": "（2026）浙0903民诉前调1203号", "dispute_type": "",
            "area": village(), "facts": "法院委派", "claims": "调解", "people_involved": 1,
            "app-TOTAL_FORMS": 1, "app-INITIAL_FORMS": 0, "app-0-kind": "person", "app-0-name": "欧阳甲",
            "app-0-phone": "13851234567", "resp-TOTAL_FORMS": 0, "resp-INITIAL_FORMS": 0}
    from yiwang.areas.models import DisputeType

    form["dispute_type"] = DisputeType.objects.get(code="neighbourhood").pk
    bad = cast.client("court_liaison").post(reverse("cases:court_delegation"), {**form, "court_case_number": "1203"})
    assert bad.status_code == 400 and not Organisation.objects.get(pk=court().pk).delegations.exists()
    response = cast.client("court_liaison").post(reverse("cases:court_delegation"), form)
    assert response.status_code == 302
    case = court().delegations.get().case

    api = cast.api("court_liaison")
    body = {"court": court().pk, "court_case_number": "（2026）浙0903民诉前调1204号", "dispute_type": "neighbourhood",
            "area": village(), "facts": "法院系统委派", "claims": "调解", "applicants": [applicant()]}
    first = api.post("/api/v1/cases/delegations/", body, format="json")
    assert first.status_code == 201, first.content
    replay = api.post("/api/v1/cases/delegations/", body, format="json")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == first.json()["id"]
    assert api.post("/api/v1/cases/delegations/", {**body, "court_case_number": "x号"}, format="json"
                    ).status_code == 400

    outsider = client
    outsider.force_login(outsider_court_liaison)
    assert_not_found_for(outsider, reverse("cases:detail", args=[case.pk]))
    assert case.number not in outsider.get(reverse("cases:court_queue")).content.decode()
    for name in ("mediator_wang", "bank_operator"):
        assert_not_found_for(cast.client(name), reverse("cases:court_delegation"))
    other = APIClient()
    other.force_authenticate(outsider_court_liaison)
    assert other.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert other.post("/api/v1/cases/delegations/", {**body, "court_case_number": "（2026）浙0903民诉前调1205号"},
                      format="json").status_code == 403
