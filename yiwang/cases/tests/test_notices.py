"""The notices a party receives: the acceptance notice (受理通知书) masks the other side's ID number and
phone on the applicant's copy and speaks as its issuer (本委员会, never 本中心); a case not accepted gets a
不予受理告知书 (the reason, where to go instead) as a PDF and an SMS through the outbox; the judicial
confirmation application names every party as a joint applicant (共同申请人)."""

from django.urls import reverse

from yiwang.cases import actions
from yiwang.cases.documents import render_acceptance_notice, render_not_accepted_notice
from yiwang.cases.tests.test_documents import make_case as make_documented_case
from yiwang.cases.tests.test_documents import pdf_text
from yiwang.core.crypto import match
from yiwang.testing import assert_not_found_for
from yiwang.testing.factories import applicant, make_case


def test_the_applicants_copy_masks_the_other_sides_id_and_phone_and_says_this_committee(cast, tmp_path):
    case = make_documented_case(cast, with_agreement=False)
    text = pdf_text(render_acceptance_notice(case, full_pii=True), tmp_path)
    assert "330903198001010012" in text and "13812345678" in text  # the applicant's own, in full
    assert "330903198502020021" not in text and "13987654321" not in text  # the respondent's, masked
    assert "本委员会" in text and "本中心" not in text
    on_file = pdf_text(render_acceptance_notice(case, full_pii=True, party_copy=False), tmp_path)
    assert "330903198502020021" in on_file


def test_a_case_not_accepted_gets_a_printed_notice_and_an_sms(cast, tmp_path):
    from yiwang.core.models import Notification

    respondent = applicant()
    case = make_case("registered", respondents=[respondent])
    case = actions.do_not_accept(case, by=cast.liuheng_clerk, reason="该纠纷已由法院立案受理",
                                 redirect="舟山市普陀区人民法院诉讼服务中心")
    text = pdf_text(render_not_accepted_notice(case, full_pii=True), tmp_path)
    assert "不予受理告知书" in text and "该纠纷已由法院立案受理" in text and "普陀区人民法院诉讼服务中心" in text
    assert respondent["phone"] not in text and "本委员会" in text
    response = cast.client("liuheng_clerk").get(reverse("cases:not_accepted_notice", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_not_found_for(cast.client("bank_operator"), reverse("cases:not_accepted_notice", args=[case.pk]))
    accepted = make_case("accepted")
    assert_not_found_for(cast.client("liuheng_clerk"), reverse("cases:not_accepted_notice", args=[accepted.pk]))
    sms = Notification.objects.filter(match("recipient", case.parties.get(role="applicant").phone, kind="text"),
                                      channel="sms")
    assert any("普陀区人民法院诉讼服务中心" in m.text for m in sms)
