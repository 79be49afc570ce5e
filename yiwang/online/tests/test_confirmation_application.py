"""The 司法确认申请书: both sides apply together (a joint application, 人民调解法 art. 33)."""

from yiwang.cases.tests.test_documents import pdf_text
from yiwang.online.documents import render_confirmation_application
from yiwang.testing.factories import applicant, make_case


def test_the_confirmation_application_names_every_party_a_joint_applicant(cast, tmp_path):
    case = make_case("agreed", respondents=[applicant()])
    text = pdf_text(render_confirmation_application(case, court=None), tmp_path)
    assert text.count("共同申请人") >= 2 * case.parties.count() and "被申请人" not in text
