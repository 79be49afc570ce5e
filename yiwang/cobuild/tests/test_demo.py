"""The demo carries the seed's figures, marked illustrative, and loading it twice changes nothing."""

import pytest

from yiwang.areas.models import Organisation
from yiwang.cobuild import demo
from yiwang.cobuild.creditcode import parse_credit_code
from yiwang.cobuild.models import (
    ApplicationState,
    Demand,
    DemandState,
    Pairing,
    Project,
    ProjectStage,
    SocialOrganisation,
    VentureApplication,
    VentureCall,
)
from yiwang.cobuild.venture import get_grade

pytestmark = pytest.mark.django_db


def test_the_seed_figures(cast):
    demo.load(lambda line: None)
    demo.load(lambda line: None)
    units = Organisation.objects.filter(kind="district_unit", cobuild_pairings__illustrative=True).distinct()
    assert units.count() == 56 and Pairing.objects.filter(illustrative=True).count() == 56
    socials = SocialOrganisation.objects.filter(illustrative=True)
    assert socials.count() == 336
    assert all(parse_credit_code(s.credit_code).social_kind == s.kind for s in socials)
    demo.load_activity(lambda line: None)
    assert Project.objects.filter(illustrative=True).count() == 39
    assert set(Project.objects.values_list("stage", flat=True)) == set(ProjectStage.values)
    assert set(Demand.objects.values_list("state", flat=True)) >= set(DemandState.values) - {DemandState.WITHDRAWN}
    assert Demand.objects.filter(title__startswith="六横锦绣瓜果合作社").exists()
    # 公益创投: the seed's 39 projects over three calls, in every stage, the grades following the scores
    applications = VentureApplication.objects.filter(illustrative=True)
    projects = applications.filter(state__in=["funded", "completed"]) | applications.filter(call__state="reviewing")
    assert projects.count() == 39 and applications.filter(state="not_funded").count() == 4
    assert set(applications.values_list("state", flat=True)) == set(ApplicationState.values)
    assert all(a.grade == get_grade(a.final_score) for a in applications.filter(state="completed"))
    assert set(VentureCall.objects.values_list("state", flat=True)) == {"decided", "reviewing"}
