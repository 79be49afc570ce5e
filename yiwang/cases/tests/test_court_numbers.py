"""Court case numbers (案号): the national format checked, good and bad examples; a number shown on the
timeline; a second entry a correction with a reason, never a silent replacement; a referred case not
archived without the receiving body's number or a reason why none came back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.validators import normalise_court_case_number, validate_court_case_number
from yiwang.testing.factories import make_case

GOOD = ["（2026）浙0903民初1234号", "(2026)浙0903民初1234号", "（2026）浙09民终12号", "（2025）浙民申3号",
        "（2026）最高法民终1号", "（2026）浙0903民特12号", "（2026）浙0903民诉前调88号", "（2026）浙0903执1号",
        "（2026）京0105刑初9号", " （2026）浙0903民初1234号 "]
BAD = ["", "2026浙0903民初1234号", "（2026）浙0903民初1234", "（26）浙0903民初1号", "（2026）XX0903民初1号",
       "（2026）浙903民初1号", "（2026）浙0903初1号", "（2026）浙0903民初0012号", "（2026）浙0903民初号",
       "（2026)浙0903民初1号", "（1990）浙0903民初1号", "（2099）浙0903民初1号", "舟普劳人仲案字〔2026〕12号"]


@pytest.mark.parametrize("number", GOOD)
def test_numbers_in_the_national_format_pass(number):
    validate_court_case_number(number)


@pytest.mark.parametrize("number", BAD)
def test_numbers_out_of_the_format_are_refused(number):
    with pytest.raises(ValidationError):
        validate_court_case_number(number)


def test_numbers_are_kept_with_full_width_parentheses():
    assert normalise_court_case_number("(2026)浙0903民初1234号") == "（2026）浙0903民初1234号"


def test_the_courts_number_is_checked_shown_on_the_timeline_and_corrected_only_with_a_reason(cast):
    case = make_case("referred")
    with pytest.raises(actions.CaseInputError):
        actions.do_record_referral_result(case, by=cast.court_liaison, external_number="浙0903民初12号")
    actions.do_record_referral_result(case, by=cast.court_liaison, external_number="(2026)浙0903民初12号")
    case.refresh_from_db()
    assert case.referrals.get().external_number == "（2026）浙0903民初12号"
    with pytest.raises(actions.CaseInputError) as refused:  # no silent replacement
        actions.do_record_referral_result(case, by=cast.court_liaison, external_number="（2026）浙0903民初21号")
    assert "correction_reason" in refused.value.message_dict
    case.refresh_from_db()
    actions.do_record_referral_result(case, by=cast.court_liaison, external_number="（2026）浙0903民初21号",
                                      correction_reason="录入时数字颠倒")
    corrected = case.events.get(kind="court_number_corrected")
    assert corrected.detail["previous_number"] == "（2026）浙0903民初12号" and corrected.reason == "录入时数字颠倒"
    assert AuditEvent.objects.filter(verb="cases.court_number_corrected").exists()
    page = cast.client("putuo_staff").get(reverse("cases:detail", args=[case.pk])).content.decode()
    timeline = page.split('class="timeline"')[1]
    assert "（2026）浙0903民初12号" in timeline and "（2026）浙0903民初21号" in timeline


def test_a_referral_to_arbitration_keeps_the_bodys_own_number():
    from yiwang.cases.actions.closing import check_receiving_number
    from yiwang.cases.models import Referral

    body = Organisation(name="舟山市劳动人事争议仲裁委员会", kind=OrganisationKind.ARBITRATION)
    assert check_receiving_number(Referral(body=body), "舟普劳人仲案字〔2026〕12号") == "舟普劳人仲案字〔2026〕12号"


def test_a_referred_case_is_archived_only_with_the_number_or_why_none_came_back(cast):
    case = make_case("referred")
    case = actions.do_follow_up(case, by=cast.mediator_wang, satisfaction=4)
    with pytest.raises(actions.IllegalTransition):
        actions.do_archive(case, by=cast.putuo_staff)
    assert "archive" not in actions.get_available_actions(case, cast.putuo_staff)
    with pytest.raises(actions.CaseInputError):
        actions.do_record_referral_result(case, by=cast.putuo_staff, external_number="", no_number_reason="  ")
    actions.do_record_referral_result(case, by=cast.putuo_staff, no_number_reason="当事人撤回起诉，法院未立案")
    case.refresh_from_db()
    assert actions.do_archive(case, by=cast.putuo_staff).status == "archived"
