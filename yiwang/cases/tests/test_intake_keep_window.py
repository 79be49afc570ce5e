"""The walk-in clerk at a district window keeps the case there when they choose (instead of its routing to
the town), and its other windows stay on offer; a labour dispute shows that arbitration comes first."""

import pytest
from django.urls import reverse

from yiwang.areas.models import DisputeType, Window
from yiwang.cases.forms import TransferWindowForm
from yiwang.cases.models import Case
from yiwang.cases.tests.test_pages_intake import URL, form_data

pytestmark = pytest.mark.django_db


def _labour_window():
    return Window.objects.get(centre__code="PT", kind="specialised", dispute_types__code="labour")


def _post(cast, **changes):
    labour = DisputeType.objects.get(code="labour")
    data = form_data(**{"dispute_type": str(labour.pk), "window": str(_labour_window().pk), "claims": "支付拖欠工资",
                        **changes})
    return cast.client("putuo_clerk").post(URL, data)


def test_without_the_choice_a_wage_dispute_in_a_village_goes_to_the_town(cast):
    response = _post(cast)
    assert response.status_code == 302
    case = Case.objects.get(parties__name="司马海明")
    assert case.centre.level == "town"


def test_the_clerk_keeps_the_case_at_the_district_window(cast):
    response = _post(cast, keep_at_window="on")
    assert response.status_code == 302
    case = Case.objects.get(parties__name="司马海明")
    assert (case.centre.code, case.window) == ("PT", _labour_window())
    others = TransferWindowForm(case=case, user=cast.putuo_staff).fields["window"].queryset
    assert others.exists() and _labour_window() not in others  # 转其他窗口 offers the centre's other windows
    page = cast.client("putuo_clerk").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="arbitration-first"' in page and "劳动仲裁前置" in page


def test_keeping_needs_a_window_and_saves_nothing_without_one(cast):
    response = _post(cast, keep_at_window="on", window="")
    assert response.status_code == 400 and "window" in response.context["form"].errors
    assert not Case.objects.filter(parties__name="司马海明").exists()


def test_a_neighbours_dispute_shows_no_arbitration_notice(cast):
    response = cast.client("putuo_clerk").post(URL, form_data())
    case = Case.objects.get(parties__name="司马海明")
    page = cast.client("putuo_clerk").get(response["Location"]).content.decode()
    assert case.dispute_type.code == "neighbourhood" and 'id="arbitration-first"' not in page
