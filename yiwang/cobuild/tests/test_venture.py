"""公益创投: the panel's conflicts of interest are excluded, the last tranche waits for a passed mid-term,
the final grade is A ≥ 85, B 60–84, C < 60, and the results are public."""

import datetime as dt
from decimal import Decimal

import pytest

from yiwang.accounts.models import User
from yiwang.areas.models import Area
from yiwang.cobuild import actions, venture
from yiwang.cobuild.models import CallState, SocialOrganisation, VentureCall
from yiwang.core import errors

pytestmark = pytest.mark.django_db

CRITERIA = [{"code": "need", "name": "需求契合", "points": 40}, {"code": "plan", "name": "方案可行", "points": 40},
            {"code": "cost", "name": "预算合理", "points": 20}]


def _world(co):
    area = Area.objects.get(code="330903100")
    social = actions.do_register_social_organisation(
        by=co.liuheng_office, name="六横海岛志愿服务中心", area=area, credit_code="51330903MJ8765437B",
        registration_authority="舟山市普陀区民政局", registered_on=dt.date(2020, 5, 1), field="志愿服务")
    # The social centre's liaison acts for the new organisation too (its own grant on it).
    from yiwang.accounts.models import Grant

    Grant.objects.create(user=co.social_liaison, role_id="cobuild_unit", area=area, organisation=social.organisation)
    call = VentureCall.objects.create(title="2026年公益创投", area=area, budget=Decimal("100000"), criteria=CRITERIA,
                                      opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1))
    panel = [User.objects.create(username=f"reviewer{n}") for n in range(3)]
    call.reviewers.set(panel)
    application = venture.do_apply(call, by=co.social_liaison, applicant=social, title="渔嫂互助",
                                   summary="为渔民家庭提供互助服务", amount="30000")
    return call, application, panel


def test_a_declared_conflict_is_excluded_from_the_score(co):
    call, application, (first, second, third) = _world(co)
    venture.do_review(application, by=first, scores={"need": 36, "plan": 34, "cost": 18})  # 88
    venture.do_declare_conflict(application, by=second, reason="本人是该组织理事")
    with pytest.raises(errors.PermissionRefused):
        venture.do_review(application, by=second, scores={"need": 40, "plan": 40, "cost": 20})
    assert venture.get_review_score(application) is None  # one reviewer without a conflict is not enough
    venture.do_review(application, by=third, scores={"need": 30, "plan": 30, "cost": 12})  # 72
    assert venture.get_review_score(application) == Decimal("80.00")
    with pytest.raises(errors.InputError):
        venture.do_review(application, by=first, scores={"need": 41, "plan": 34, "cost": 18})
    with pytest.raises(errors.PermissionRefused):
        venture.do_review(application, by=co.liuheng_office, scores={"need": 1, "plan": 1, "cost": 1})


def test_the_last_tranche_waits_for_a_passed_midterm_and_the_grade_follows_the_score(co):
    call, application, (first, second, _third) = _world(co)
    for reviewer in (first, second):
        venture.do_review(application, by=reviewer, scores={"need": 35, "plan": 35, "cost": 15})
    venture.do_fund(application, by=co.liuheng_office, tranches=["18000", "12000"])
    first_tranche, last = application.tranches.order_by("number")
    with pytest.raises(errors.IllegalTransition):
        venture.do_pay_tranche(last, by=co.liuheng_office)
    venture.do_pay_tranche(first_tranche, by=co.liuheng_office)
    venture.do_record_midterm(application, by=co.liuheng_office, passed=False, note="进度滞后")
    with pytest.raises(errors.IllegalTransition):
        venture.do_pay_tranche(last, by=co.liuheng_office)
    venture.do_record_midterm(application, by=co.liuheng_office, passed=True, note="整改后通过")
    venture.do_pay_tranche(last, by=co.liuheng_office)
    venture.do_record_final(application, by=co.liuheng_office, score=84)
    assert (application.grade, application.state) == ("B", "completed")
    assert [venture.get_grade(s) for s in (85, 84, 60, 59)] == ["A", "B", "B", "C"]

    call.state = CallState.DECIDED
    call.save(update_fields=["state"])
    from django.test import Client

    page = Client().get(f"/cobuild/venture/{call.pk}/results/").content.decode()
    assert "渔嫂互助" in page and "六横海岛志愿服务中心" in page and "<td>B</td>" in page


def test_funding_is_refused_beyond_the_request_or_before_the_panel(co):
    call, application, (first, second, _third) = _world(co)
    with pytest.raises(errors.IllegalTransition):
        venture.do_fund(application, by=co.liuheng_office, tranches=["10000", "10000"])
    for reviewer in (first, second):
        venture.do_review(application, by=reviewer, scores={"need": 35, "plan": 35, "cost": 15})
    with pytest.raises(errors.InputError):
        venture.do_fund(application, by=co.liuheng_office, tranches=["20000", "20000"])
    with pytest.raises(errors.InputError):
        venture.do_fund(application, by=co.liuheng_office, tranches=["30000"])
    assert not application.tranches.exists()


def test_an_undecided_call_has_no_public_page(co):
    call, _application, _panel = _world(co)
    from django.test import Client

    assert Client().get(f"/cobuild/venture/{call.pk}/results/").status_code == 404
    assert SocialOrganisation.objects.count() == 1
