"""The intake page: a clerk registers a walk-in or phone dispute with its applicants and respondents in
one form; bad input is shown field by field and nothing is saved; only clerks of the area may use it."""

import pytest
from django.urls import reverse

from yiwang.areas.models import Area
from yiwang.cases.models import Case, Party, Status

URL = reverse("cases:intake")
VALID_ID = "33090319800101123X"


def village(prefix: str = "330903100") -> str:
    return Area.objects.filter(code__startswith=prefix, level="village").order_by("code").first().code


def form_data(**overrides) -> dict:
    data = {
        "channel": "window", "dispute_type": "", "area": village(), "window": "",
        "facts": "邻居修建围墙占用通道", "claims": "拆除围墙，恢复通行", "amount": "", "people_involved": "2",
        "vessel_name": "", "vessel_number": "", "sea_area": "",
        "app-TOTAL_FORMS": "1", "app-INITIAL_FORMS": "0", "app-MIN_NUM_FORMS": "1", "app-MAX_NUM_FORMS": "50",
        "app-0-kind": "person", "app-0-name": "司马海明", "app-0-id_number": VALID_ID, "app-0-phone": "13857001234",
        "app-0-address": "舟山市普陀区六横镇", "app-0-credit_code": "", "app-0-representative": "",
        "resp-TOTAL_FORMS": "1", "resp-INITIAL_FORMS": "0", "resp-MIN_NUM_FORMS": "0", "resp-MAX_NUM_FORMS": "50",
        "resp-0-kind": "person", "resp-0-name": "李国强", "resp-0-id_number": "", "resp-0-phone": "13905801234",
        "resp-0-address": "", "resp-0-credit_code": "", "resp-0-representative": "",
    }
    from yiwang.areas.models import DisputeType

    data["dispute_type"] = str(DisputeType.objects.get(code="neighbourhood").pk)
    data.update(overrides)
    return data


def test_a_clerk_registers_a_walk_in_dispute(cast):
    client = cast.client("liuheng_clerk")
    page = client.get(URL)
    assert page.status_code == 200
    area_choices = page.context["form"].fields["area"].queryset
    assert area_choices.exists() and not area_choices.exclude(code__startswith="330903100").exists()

    response = client.post(URL, form_data())
    case = Case.objects.get(parties__name="司马海明")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.status == Status.REGISTERED and case.channel == "window" and case.visits == 1
    assert case.owner == cast.liuheng_clerk
    assert sorted(case.parties.values_list("role", "name")) == [("applicant", "司马海明"), ("respondent", "李国强")]
    assert case.number in client.get(response["Location"]).content.decode()


def test_an_organisation_can_be_a_respondent(cast):
    response = cast.client("liuheng_clerk").post(URL, form_data(**{
        "resp-0-kind": "organisation", "resp-0-name": "舟山某某渔业有限公司", "resp-0-phone": "",
        "resp-0-credit_code": "91330903MA2A12345X"[:17] + _credit_check("91330903MA2A12345"),
        "resp-0-representative": "王某",
    }))
    assert response.status_code == 302
    assert Party.objects.get(name="舟山某某渔业有限公司").kind == "organisation"


def _credit_check(first17: str) -> str:
    from yiwang.cases.validators import credit_code_check_character

    return credit_code_check_character(first17)


def test_several_applicants_and_a_phone_intake(cast):
    data = form_data(**{
        "channel": "phone", "app-TOTAL_FORMS": "2", "app-1-kind": "person", "app-1-name": "张海亮",
        "app-1-id_number": "", "app-1-phone": "13857005678", "app-1-address": "", "app-1-credit_code": "",
        "app-1-representative": "",
    })
    assert cast.client("liuheng_clerk").post(URL, data).status_code == 302
    case = Case.objects.get(parties__name="张海亮")
    assert case.channel == "phone" and case.visits == 0
    assert case.parties.filter(role="applicant").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"app-0-id_number": "330903198001011234"}, "校验码"),  # wrong GB 11643 check character
        ({"app-0-phone": "12345678901"}, "手机号"),
        ({"app-0-name": ""}, "该字段是必填项"),
        ({"facts": ""}, "该字段是必填项"),
        ({"claims": "   "}, "该字段是必填项"),
        ({"amount": "-5"}, "大于或等于0"),
        ({"people_involved": "0"}, "大于或等于1"),
        ({"area": "330903001001"}, "选择一个有效的选项"),  # 沈家门: not the clerk's area
        ({"dispute_type": "99999"}, "选择一个有效的选项"),
        ({"app-TOTAL_FORMS": "0"}, "请至少填写一名申请人"),  # no applicant at all
    ],
)
def test_bad_input_is_shown_and_nothing_is_saved(cast, overrides, field_message):
    before = (Case.objects.count(), Party.objects.count())
    response = cast.client("liuheng_clerk").post(URL, form_data(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请更正以下错误" in body and field_message in body
    assert (Case.objects.count(), Party.objects.count()) == before


def test_the_actions_own_rules_come_back_on_the_right_field(cast):
    """An applicant who is a person must leave a mobile number (a rule of do_register_case, not the form)."""
    response = cast.client("liuheng_clerk").post(URL, form_data(**{"app-0-phone": ""}))
    assert response.status_code == 400
    form = response.context["applicants"].forms[0]
    assert form.errors["phone"]
    assert not Case.objects.filter(parties__name="司马海明").exists()


def test_a_maritime_dispute_needs_vessel_and_sea_area(cast):
    from yiwang.areas.models import DisputeType

    maritime = DisputeType.objects.get(code="maritime")
    response = cast.client("liuheng_clerk").post(URL, form_data(dispute_type=str(maritime.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"vessel_name", "sea_area"}
    assert not Case.objects.filter(parties__name="司马海明").exists()


@pytest.mark.parametrize("username", ["mediator_wang", "putuo_leader", "grid_worker", "court_liaison"])
def test_only_those_who_register_cases_get_the_form(cast, username):
    client = cast.client(username)
    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data()).status_code == 404
    assert not Case.objects.filter(parties__name="司马海明").exists()


def test_every_problem_is_shown_in_one_round(cast):
    """The dispute's own fields and the parties' ID and phone checks come back together."""
    response = cast.client("liuheng_clerk").post(URL, form_data(**{
        "claims": "", "app-0-id_number": "330903198001011234", "resp-0-phone": "1390580"}))
    assert response.status_code == 400
    assert "claims" in response.context["form"].errors
    assert "校验码" in " ".join(response.context["applicants"].forms[0].errors["id_number"])
    assert response.context["respondents"].forms[0].errors["phone"]
    assert not Case.objects.filter(parties__name="司马海明").exists()
