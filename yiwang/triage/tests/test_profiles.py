"""Mediators' profiles and conflicts of interest, kept by the centre of the mediator's area through pages,
the admin and audited actions, and the parties' languages of a case (intake form and case page): the
recommendation reads them all."""

import datetime as dt

import pytest
from django.urls import reverse

from yiwang.accounts.models import Grant, Role, User
from yiwang.areas.models import Area, DisputeType
from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case
from yiwang.cases.tests.test_pages_intake import form_data
from yiwang.cases.validators import credit_code_check_character
from yiwang.testing import factories as f
from yiwang.triage import actions, defaults
from yiwang.triage.models import CaseLanguage, Conflict, ConflictKind, Language, MediatorProfile, Relation
from yiwang.triage.recommend import recommend_mediators

ID_NUMBER = "33090319800101123X"
COMPANY = "91330903MA2A00001"
COMPANY += credit_code_check_character(COMPANY)


@pytest.fixture
def taimen(cast):
    """A people's mediator of one 六横 village (a grant of the mediator role on the village only)."""
    mediator = User.objects.create(username="taimen_mediator", display_name="台门调解员")
    Grant.objects.create(user=mediator, role=Role.objects.get(code="mediator"), area_id=f.village())
    return mediator


def _names(recommendations):
    return [r.mediator.username for r in recommendations]


def test_the_district_keeps_every_mediator_a_town_only_its_own_and_a_mediator_none(cast, taimen):
    district = cast.client("putuo_staff").get(reverse("triage:mediator_list"))
    assert {"台门调解员", "王调解员", "海事调解员"} <= {str(r["mediator"]) for r in district.context["rows"]}
    town = cast.client("liuheng_clerk")
    listed = [r["mediator"] for r in town.get(reverse("triage:mediator_list")).context["rows"]]
    assert taimen in listed and f.user("mediator_wang") not in listed
    # Out of the town's area is exactly like missing, on every page and form of a mediator.
    wang = f.user("mediator_wang")
    assert town.get(reverse("triage:mediator_detail", args=[wang.pk])).status_code == 404
    assert town.post(reverse("triage:conflict_add", args=[wang.pk]), {}).status_code == 404
    assert cast.client("mediator_wang").get(reverse("triage:mediator_list")).status_code == 403


def test_a_town_clerk_saves_a_profile_audited_and_a_stale_or_out_of_area_one_is_refused(cast, taimen):
    client = cast.client("liuheng_clerk")
    url = reverse("triage:mediator_detail", args=[taimen.pk])
    neighbourhood = DisputeType.objects.get(code="neighbourhood")
    putuo = Language.objects.get(code="putuo")
    data = {"version": "0", "dispute_types": [neighbourhood.pk], "home_area": f.village(), "languages": [putuo.pk],
            "away_until": "", "away_note": "", "capacity": "8"}
    assert client.post(url, data).status_code == 302
    profile = MediatorProfile.objects.get(mediator=taimen)
    assert list(profile.languages.all()) == [putuo] and profile.capacity == 8 and profile.version == 1
    event = AuditEvent.objects.get(verb="triage.profile_saved")
    assert event.actor == cast.liuheng_clerk and event.area_code == f.village() and event.detail["languages"] == ["putuo"]

    stale = client.post(url, {**data, "capacity": "3"})  # still version 0: someone saved since
    assert stale.status_code == 400 and "重新" in stale.content.decode()
    elsewhere = client.post(url, {**data, "version": "1", "home_area": f.village("330903001")})
    assert elsewhere.status_code == 400  # 沈家门 is not among the town's choices
    profile.refresh_from_db()
    assert profile.capacity == 8 and profile.home_area_id == f.village()
    with pytest.raises(actions.ProfileInputError):
        actions.do_save_profile(taimen, by=cast.liuheng_clerk, version=1, home_area=Area.objects.get(code="330903001"))


def test_conflicts_with_a_person_an_organisation_or_the_village_are_never_suggested(cast, taimen):
    case = f.make_case("accepted", applicants=[f.applicant(id_number=ID_NUMBER, name="欧阳测甲")],
                       respondents=[{"kind": "organisation", "name": "六横某水产公司", "credit_code": COMPANY}])
    staff = cast.putuo_staff
    actions.do_add_conflict(f.user("mediator_wang"), by=staff, kind=ConflictKind.PERSON, relation=Relation.RELATIVE,
                            person_name="欧阳测甲", id_number=ID_NUMBER, note="申请人的表哥")
    actions.do_add_conflict(f.user("maritime_mediator"), by=staff, kind=ConflictKind.ORGANISATION,
                            relation=Relation.EMPLOYMENT, person_name="另一个名字", credit_code=COMPANY)
    client = cast.client("liuheng_clerk")
    response = client.post(reverse("triage:conflict_add", args=[taimen.pk]), {
        "kind": "village", "relation": "office", "area": f.village(), "note": "村委会委员"})
    assert response.status_code == 302
    suggested, excluded = recommend_mediators(case)
    reasons = {r.mediator.username: r.excluded for r in excluded}
    assert {"mediator_wang", "maritime_mediator", "taimen_mediator"} <= set(reasons)
    assert not {"mediator_wang", "maritime_mediator", "taimen_mediator"} & set(_names(suggested))
    assert "表哥" in reasons["mediator_wang"] and "另一个名字" in reasons["maritime_mediator"]
    assert "村委会委员" in reasons["taimen_mediator"]
    assert AuditEvent.objects.filter(verb="triage.conflict_added").count() == 3
    assert not any(ID_NUMBER in str(e.detail) for e in AuditEvent.objects.filter(verb="triage.conflict_added"))

    # A wrong ID number is refused with the reason and nothing is recorded.
    bad = client.post(reverse("triage:conflict_add", args=[taimen.pk]), {
        "kind": "person", "relation": "relative", "person_name": "张三", "id_number": "330903198001011234"})
    assert bad.status_code == 400 and "校验码" in bad.content.decode()
    assert Conflict.objects.filter(mediator=taimen).count() == 1

    conflict = Conflict.objects.get(mediator=taimen)
    assert cast.client("shenjiamen_clerk").post(reverse("triage:conflict_remove", args=[conflict.pk])).status_code == 404
    assert client.post(reverse("triage:conflict_remove", args=[conflict.pk])).status_code == 302
    assert not Conflict.objects.filter(mediator=taimen).exists()
    assert "taimen_mediator" in _names(recommend_mediators(case)[0])


def test_a_mediator_away_or_at_their_limit_is_not_suggested(cast):
    case = f.make_case("accepted")
    today = dt.date(2026, 3, 2)
    MediatorProfile.objects.create(mediator=f.user("mediator_wang"), away_until=today, away_note="培训")
    MediatorProfile.objects.create(mediator=f.user("maritime_mediator"), capacity=1)
    f.make_case("assigned", mediator="maritime_mediator")
    suggested, excluded = recommend_mediators(case, today=today)
    reasons = {r.mediator.username: r.excluded for r in excluded}
    assert "2026-03-02" in reasons["mediator_wang"] and "培训" in reasons["mediator_wang"]
    assert "1" in reasons["maritime_mediator"]
    assert "mediator_wang" in _names(recommend_mediators(case, today=today + dt.timedelta(days=1))[0])


def test_the_parties_language_recorded_on_the_case_page_puts_a_speaker_first(cast):
    case = f.make_case("accepted")
    sign = Language.objects.get(code="sign")
    MediatorProfile.objects.create(mediator=f.user("maritime_mediator")).languages.add(sign)
    before = _names(recommend_mediators(case)[0])
    url = reverse("triage:case_languages", args=[case.pk])
    assert cast.client("shenjiamen_clerk").post(url, {"languages": [sign.pk], "version": "0"}).status_code == 404
    cast.client("mediator_wang").post(url, {"languages": [sign.pk], "version": "0"})  # may not: nothing recorded
    assert not CaseLanguage.objects.filter(case=case).exists()

    client = cast.client("liuheng_clerk")
    assert client.post(url, {"languages": [sign.pk], "note": "申请人是聋人", "version": "0"}).status_code == 302
    suggested, _excluded = recommend_mediators(case)
    assert _names(suggested)[0] == "maritime_mediator" != before[0]
    assert any("手语" in r and "当事人" in r for r in suggested[0].reasons)
    page = cast.client("putuo_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "triage-languages" in page and "申请人是聋人" in page
    assert client.post(url, {"languages": [], "version": "0"}).status_code == 302  # stale: refused, kept
    assert list(CaseLanguage.objects.get(case=case).languages.all()) == [sign]


def test_languages_ticked_on_the_intake_form_are_recorded_with_the_registration(cast):
    client = cast.client("liuheng_clerk")
    page = client.get(reverse("cases:intake")).content.decode()
    assert 'name="triage-languages" value="putuo"' in page
    response = client.post(reverse("cases:intake"), {**form_data(), "triage-languages": ["putuo", "putonghua"]})
    assert response.status_code == 302
    case = Case.objects.get(parties__name="司马海明")
    row = CaseLanguage.objects.get(case=case)
    assert sorted(row.languages.values_list("code", flat=True)) == ["putonghua", "putuo"]
    assert row.recorded_by == cast.liuheng_clerk
    # A language that is not on the list undoes the registration, and says why.
    refused = client.post(reverse("cases:intake"), {**form_data(**{"app-0-name": "司马海亮"}), "triage-languages": "klingon"})
    assert refused.status_code == 400 and not Case.objects.filter(parties__name="司马海亮").exists()


def test_the_admin_saves_through_the_actions_and_shows_only_the_keepers_mediators(cast, taimen):
    client = cast.client("putuo_staff")
    add = client.post(reverse("admin:triage_mediatorprofile_add"), {
        "mediator": taimen.pk, "dispute_types": [DisputeType.objects.get(code="labour").pk],
        "languages": [Language.objects.get(code="anhui").pk], "home_area": f.village(), "away_until": "",
        "away_note": "", "capacity": ""})
    assert add.status_code == 302, add.content.decode()[:2000]
    assert MediatorProfile.objects.get(mediator=taimen).languages.get().code == "anhui"
    assert AuditEvent.objects.filter(verb="triage.profile_saved", actor=cast.putuo_staff).exists()
    town = cast.client("liuheng_clerk").get(reverse("admin:triage_mediatorprofile_changelist"))
    assert town.status_code == 200 and "台门调解员" in town.content.decode()


def test_the_default_languages_are_what_the_migration_installs():
    from importlib import import_module

    migration = import_module("yiwang.triage.migrations.0002_profiles")
    assert migration.LANGUAGES == defaults.LANGUAGES
