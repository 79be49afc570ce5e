"""A mediator's home shows their next sessions; a bank's and a court's home their organisation's cases."""

import datetime as dt

from django.utils import timezone

from yiwang.cases import actions as case_actions
from yiwang.online import actions
from yiwang.online.tests.factories import file_case


def test_a_mediator_sees_their_upcoming_sessions_on_home(demo):
    case, _token = file_case()
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    case = case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])
    actions.do_schedule_session(case, by=demo.mediator_wang, place="六横镇调解室",
                                starts_at=timezone.now() + dt.timedelta(days=2))
    page = demo.client("mediator_wang").get("/home/").content.decode()
    assert 'id="upcoming-sessions"' in page and case.number in page and "即将进行的调解" in page
    other = demo.client("maritime_mediator").get("/home/").content.decode()
    assert 'id="upcoming-sessions"' in other and case.number not in other  # not their case
    assert 'id="upcoming-sessions"' not in demo.client("putuo_leader").get("/home/").content.decode()


def test_the_bank_and_the_court_see_their_organisations_cases_on_home(demo):
    for username in ("bank_operator", "court_liaison"):
        page = demo.client(username).get("/home/").content.decode()
        assert 'id="organisation-cases"' in page, username
        assert "办理中的案件" in page
    assert 'id="organisation-cases"' not in demo.client("putuo_staff").get("/home/").content.decode()
