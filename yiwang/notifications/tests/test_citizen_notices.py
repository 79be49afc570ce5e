"""The parties hear of every step of their case between the mediator's naming and its outcome: mediation
opened with its deadline, a session recorded, the deadline extended, a recusal (and who leads now), a
withdrawal, a referral and the receiving body's case number; each once per mobile."""

import datetime as dt

import pytest

from yiwang.cases import actions as a
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def texts_to(sms, phone):
    return [text for to, text in sms if to == phone]


def test_mediation_session_extension_recusal_and_withdrawal_reach_both_parties(cast, sms):
    case = f.make_case("accepted", respondents=[{"kind": "person", "name": "司马测", "phone": "13900002222"}])
    case = a.do_assign(case, by=cast.putuo_staff, mediators=[cast.mediator_wang, cast.maritime_mediator])
    applicant, respondent = case.parties.get(role="applicant").phone, case.parties.get(role="respondent").phone
    sms.clear()

    case = a.do_start_mediation(case, by=cast.mediator_wang)
    [started] = texts_to(sms, respondent)
    assert "开始调解" in started and case.mediation_deadline.isoformat() in started

    a.do_record_session(case, by=cast.mediator_wang, record="双方陈述意见。",
                        held_at=dt.datetime(2026, 3, 3, 1, 0, tzinfo=dt.UTC))  # 09:00 in Shanghai
    case.refresh_from_db()
    assert "2026-03-03" in texts_to(sms, applicant)[-1] and "调解情况" in texts_to(sms, applicant)[-1]

    case = a.do_extend(case, by=cast.mediator_wang, days=15, consent=True)
    assert "延长至" + case.mediation_deadline.isoformat() in texts_to(sms, applicant)[-1]

    before = len(sms)
    case = a.do_recuse(case, by=cast.putuo_staff, mediator=cast.mediator_wang, reason="与申请人系亲属")
    lead = case.owner.display_name
    assert case.owner == cast.maritime_mediator
    [changed] = texts_to(sms[before:], applicant)
    assert "回避" in changed and lead in changed
    # Naming the same lead again tells nobody anything new.
    case = a.do_assign(case, by=cast.putuo_staff, mediators=[cast.maritime_mediator])
    assert len(texts_to(sms, applicant)) == 4

    case = a.do_withdraw(case, by=cast.maritime_mediator, reason="双方自行和解")
    assert "已撤回" in texts_to(sms, respondent)[-1]
    assert len(texts_to(sms, applicant)) == len(texts_to(sms, respondent)) == 5


def test_the_last_mediator_recused_says_a_new_one_will_be_named_and_then_names_them(cast, sms):
    case = f.make_case("mediating")
    phone = case.parties.get(role="applicant").phone
    case = a.do_recuse(case, by=cast.putuo_staff, mediator=cast.mediator_wang, reason="利害关系")
    assert "另行指派" in texts_to(sms, phone)[-1]
    a.do_assign(case, by=cast.putuo_staff, mediators=[cast.maritime_mediator])
    assert cast.maritime_mediator.display_name in texts_to(sms, phone)[-1]


def test_a_referral_and_the_courts_case_number_reach_the_parties(cast, sms):
    case = f.make_case("referred")
    phone = case.parties.get(role="applicant").phone
    court = case.referrals.get().body.name
    assert court in texts_to(sms, phone)[-1] and "转交" in texts_to(sms, phone)[-1]
    a.do_record_referral_result(case, by=cast.putuo_staff, external_number="（2026）浙0903民初1234号")
    last = texts_to(sms, phone)[-1]
    assert "（2026）浙0903民初1234号" in last and court in last
