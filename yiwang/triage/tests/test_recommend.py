"""Mediator recommendation: who may mediate in the area, ranked by declared expertise, past cases, load and
place, with reasons; a relative or colleague of a party, or a mediator who recused from the same person,
is never suggested."""

import pytest
from django.utils import timezone

from yiwang.areas.models import Area, DisputeType
from yiwang.testing import factories as f
from yiwang.triage.models import Conflict, ConflictKind, Language, MediatorProfile, Relation
from yiwang.triage.recommend import recommend_mediators

ID_NUMBER = "33090319800101123X"


@pytest.fixture
def case(cast):
    return f.make_case("accepted", applicants=[f.applicant(id_number=ID_NUMBER, name="欧阳测甲")])


def _names(recommendations):
    return [r.mediator.username for r in recommendations]


def test_declared_expertise_and_the_same_village_come_first_with_reasons(case):
    wang = f.user("mediator_wang")
    profile = MediatorProfile.objects.create(mediator=wang, home_area=Area.objects.get(code=case.area_id))
    profile.dispute_types.add(DisputeType.objects.get(code="neighbourhood"))
    profile.languages.add(Language.objects.get(code="putuo"))
    suggested, excluded = recommend_mediators(case)
    assert _names(suggested)[0] == "mediator_wang" and not excluded
    reasons = suggested[0].reasons
    assert any("邻里" in r for r in reasons) and len(reasons) >= 3  # expertise, load, village, dialect
    assert {"maritime_mediator", "putuo_staff"} <= set(_names(suggested))


def test_load_lowers_the_rank(case):
    for _n in range(3):
        f.make_case("assigned", mediator="maritime_mediator")
    suggested, _excluded = recommend_mediators(case)
    names = _names(suggested)
    assert names.index("maritime_mediator") > names.index("putuo_staff")
    marit = suggested[names.index("maritime_mediator")]
    assert any("3" in r for r in marit.reasons)


def test_past_agreements_in_the_type_raise_the_rank(case):
    f.make_case("agreed", mediator="maritime_mediator")
    suggested, _excluded = recommend_mediators(case)
    names = _names(suggested)
    assert names.index("maritime_mediator") < names.index("putuo_staff")


def test_a_relative_of_a_party_is_never_suggested(case):
    Conflict.objects.create(mediator=f.user("mediator_wang"), kind=ConflictKind.PERSON, person_name="欧阳测甲", id_number=ID_NUMBER,
                            relation=Relation.RELATIVE, note="申请人的表哥", recorded_at=timezone.now())
    suggested, excluded = recommend_mediators(case)
    assert "mediator_wang" not in _names(suggested)
    assert _names(excluded) == ["mediator_wang"] and "表哥" in excluded[0].excluded


def test_a_recusal_from_another_case_of_the_same_person_is_remembered(cast, case):
    from yiwang.cases.actions import do_recuse

    earlier = f.make_case("assigned", applicants=[f.applicant(id_number=ID_NUMBER, name="欧阳测甲")])
    do_recuse(earlier, by=f.user("putuo_staff"), mediator=f.user("mediator_wang"), reason="与申请人系同事")
    suggested, excluded = recommend_mediators(case)
    assert "mediator_wang" not in _names(suggested) and "mediator_wang" in _names(excluded)


def test_the_api_gives_the_ranking_and_refuses_out_of_scope(cast, case):
    response = cast.api("liuheng_clerk").get(f"/api/v1/triage/mediators/{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["suggested"] and all(r["reasons"] for r in body["suggested"])
    assert cast.api("shenjiamen_clerk").get(f"/api/v1/triage/mediators/{case.pk}/").status_code == 404
    assert cast.api("mediator_wang").get(f"/api/v1/triage/mediators/{case.pk}/").status_code == 403


def test_the_case_page_shows_the_recommendation_to_whoever_assigns(cast, case):
    page = cast.client("putuo_staff").get(f"/cases/{case.pk}/")
    assert page.status_code == 200 and "triage-mediators" in page.content.decode()
    assert "triage-mediators" not in cast.client("mediator_wang").get(f"/cases/{case.pk}/").content.decode()
