"""Small factories for tests: each builds what a test needs by calling the apps' own actions.

Nothing is written behind the actions' back, so a case made here obeys every rule a real one does (numbers,
owners, deadlines, events, audit). Defaults are fixed literals, never drawn at random; dates come from the
caller or from the actions' own clock (freeze it in the test when a figure depends on the day).

    case = make_case("mediating")                        # registered by liuheng_clerk in 六横, then walked
    case = make_case("agreed", area=village("330903001"), by="shenjiamen_clerk")
    problem = make_problem(grid, "dispatched")
    case, token = file_online_case()
"""

from __future__ import annotations

import datetime as dt
import itertools

from yiwang.accounts.models import User
from yiwang.areas.models import Area, Level, Organisation, OrganisationKind

LIUHENG = "330903100"
SHENJIAMEN = "330903001"

# Each state and the steps the actions take to reach it from registration, in order.
_MAIN = ["accept", "assign", "start_mediation", "record_agreement"]
CASE_PATHS = {
    "registered": [],
    "not_accepted": ["not_accept"],
    "accepted": _MAIN[:1],
    "assigned": _MAIN[:2],
    "mediating": _MAIN[:3],
    "agreed": _MAIN,
    "confirmation_pending": [*_MAIN, "apply_confirmation"],
    "confirmed": [*_MAIN, "apply_confirmation", "confirm"],
    "confirmation_rejected": [*_MAIN, "apply_confirmation", "reject_confirmation"],
    "performing": [*_MAIN, "record_performance"],
    "terminated": [*_MAIN[:3], "terminate"],
    "referred": [*_MAIN[:3], "terminate", "refer"],
    "withdrawn": [*_MAIN[:3], "withdraw"],
    "followed_up": [*_MAIN, "complete_performance", "follow_up"],
    "archived": [*_MAIN, "complete_performance", "follow_up", "archive"],
}

_serial = itertools.count(1)


def user(who) -> User:
    """A cast member by username, or the user itself."""
    return who if isinstance(who, User) else User.objects.get(username=who)


def make_user(role: str, *, area: str = "330903", organisation: str | None = None, centre: str | None = None,
              team: str | None = None, username: str | None = None, display_name: str = "") -> User:
    """A new account holding one grant of `role` on the area with code `area`: optionally limited to the
    organisation named `organisation`, acting for the centre with code `centre` (default: the area's own
    centre, as the demo's clerks and staff), a member of the team named `team` (a mediator's). Its password
    is the tests' own (yiwang.testing.PASSWORD). Nobody in the cast: a test's own user of that kind."""
    from yiwang.accounts.models import Grant
    from yiwang.areas.models import Centre, Team
    from yiwang.testing import PASSWORD

    n = next(_serial)
    account = User.objects.create_user(username or f"{role}_{n}", password=PASSWORD,
                                       display_name=display_name or f"测试{n}号")
    centre_row = (Centre.objects.get(code=centre) if centre
                  else Centre.objects.filter(area_id=area).order_by("code").first())
    Grant.objects.create(user=account, role_id=role, area_id=area, centre=centre_row,
                         organisation=Organisation.objects.get(name=organisation) if organisation else None)
    if team:
        Team.objects.get(name=team).members.add(account)
    return account


def village(town: str = LIUHENG) -> str:
    """The first village (by code) of a town: a fixed area for a test's case."""
    return Area.objects.filter(level=Level.VILLAGE, code__startswith=town).order_by("code").values_list(
        "code", flat=True).first()


def applicant(**extra) -> dict:
    """A person applying: a name no demo draws (a compound surname) and a phone unique per call."""
    n = next(_serial)
    return {"kind": "person", "name": f"欧阳测{n}", "phone": f"1385{n:07d}", **extra}


def register_case(*, by="liuheng_clerk", area=None, dispute_type="neighbourhood", channel="window",
                  facts="邻居加建围墙，影响通行。", claims="拆除围墙，恢复通行。", applicants=None, respondents=(),
                  **extra):
    """A case registered through `do_register_case` by `by` (default: 六横's window clerk, in 六横)."""
    from yiwang.cases.actions import do_register_case

    return do_register_case(
        by=user(by), channel=channel, dispute_type=dispute_type, area=area or village(), facts=facts,
        claims=claims, applicants=applicants or [applicant()], respondents=respondents, **extra,
    )


def agreement_fields(**extra) -> dict:
    """What `do_record_agreement` needs (art. 29), performance due in 30 days."""
    from django.utils import timezone

    return {
        "facts": "双方因加建围墙发生纠纷。", "matters_in_dispute": "围墙是否拆除。",
        "responsibilities": "被申请人负主要责任。", "content": "被申请人十日内拆除围墙。",
        "performance_manner": "自行拆除", "performance_place": "六横镇",
        "performance_deadline": timezone.localdate() + dt.timedelta(days=30), **extra,
    }


def scan_file(name: str = "signed-page.png"):
    """A small PNG standing for the scan of a page signed on paper."""
    from yiwang.cases.demo import demo_scan

    return demo_scan(name)


def sign_and_seal(case, *, mediator="mediator_wang", witness="调解员"):
    """A drafted agreement taken to effect as at the centre: each party signs on paper (a scan and a
    witness recorded), the mediator signs, the committee's seal is applied. Returns the case, agreed."""
    from yiwang.cases.demo import sign_on_paper

    return sign_on_paper(case, by=user(mediator), witness=witness)


def advance_case(case, to: str, *, clerk="liuheng_clerk", staff="putuo_staff", mediator="mediator_wang",
                 court_liaison="court_liaison"):
    """Walk `case` from registered to state `to` through the actions, as the people who would act."""
    from yiwang.cases import actions as a

    clerk, staff, mediator, liaison = user(clerk), user(staff), user(mediator), user(court_liaison)
    steps = {
        "not_accept": lambda c: a.do_not_accept(c, by=clerk, reason="已由法院立案", redirect="舟山市普陀区人民法院"),
        "accept": lambda c: a.do_accept(c, by=clerk),
        "assign": lambda c: a.do_assign(c, by=staff, mediators=[mediator]),
        "start_mediation": lambda c: a.do_start_mediation(c, by=mediator),
        "record_agreement": lambda c: sign_and_seal(a.do_record_agreement(c, by=mediator, **agreement_fields()),
                                                    mediator=mediator),
        "apply_confirmation": lambda c: a.do_apply_confirmation(c, by=mediator),
        "confirm": lambda c: a.do_record_confirmation(c, by=liaison, accepted=True,
                                                      court_case_number="(2026)浙0903民特1号"),
        "reject_confirmation": lambda c: a.do_record_confirmation(c, by=liaison, accepted=False, note="协议内容违法"),
        "record_performance": lambda c: a.do_record_performance(c, by=mediator, note="已部分履行"),
        "complete_performance": lambda c: a.do_record_performance(c, by=mediator, completed=True),
        "terminate": lambda c: a.do_terminate(c, by=mediator, reason="被申请人拒绝继续调解",
                                              routes_told="可向普陀区人民法院起诉"),
        "refer": lambda c: a.do_refer(c, by=staff, kind="litigation",
                                      body=Organisation.objects.filter(kind=OrganisationKind.COURT).first()),
        "withdraw": lambda c: a.do_withdraw(c, by=mediator, reason="双方自行和解"),
        "follow_up": lambda c: a.do_follow_up(c, by=mediator, satisfaction=5),
        "archive": lambda c: a.do_archive(c, by=staff),
    }
    for step in CASE_PATHS[to]:
        steps[step](case)  # some actions return another record (a referral): read the case afresh
        case.refresh_from_db()
    assert case.status == to, (case.status, to)
    return case


def make_case(status: str = "registered", *, by="liuheng_clerk", staff="putuo_staff", mediator="mediator_wang",
              **register):
    """A case registered by `by` and walked to `status` by the actions; `register` goes to do_register_case."""
    clerk = by if register.get("channel", "window") != "bank" else staff
    case = register_case(by=by, **register)
    return advance_case(case, status, clerk=clerk, staff=staff, mediator=mediator)


# --- grids --------------------------------------------------------------------------------------------

PROBLEM_PATH = ["accepted", "dispatched", "signed_for", "in_progress", "feedback", "verifying", "closed"]


def log_visit(grid, *, by="grid_worker", date=None, households_visited=5, **extra):
    """A visit to `grid` logged through grids' action, on `date` (default: today by the actions' clock)."""
    from django.utils import timezone

    from yiwang.grids import actions

    return actions.do_log_visit(grid, by=user(by), date=date or timezone.localdate(),
                                households_visited=households_visited, **extra)


def report_problem(grid, *, by="grid_worker", category="environment", description="河道垃圾堆积", **extra):
    """A problem found in `grid`, reported through grids' action."""
    from yiwang.grids import actions

    return actions.do_report_problem(grid, by=user(by), category=category, description=description, **extra)


def unit_account(unit: str = "舟山市普陀区司法局") -> User:
    """The cast's account of a district unit (a partner_unit grant limited to it): justice_unit for
    舟山市普陀区司法局, agriculture_unit for 舟山市普陀区农业农村局."""
    return User.objects.filter(grants__organisation__name=unit, grants__role_id="partner_unit").order_by("pk").first()


def advance_problem(problem, to: str, *, staff="liuheng_staff", worker="grid_worker", unit="舟山市普陀区司法局",
                    handler=None):
    """Walk `problem` along the main path up to state `to`: `staff` accepts it and dispatches it to `unit`,
    the unit's account (`handler`, default `unit_account(unit)`) signs for, handles and feeds back, the grid
    worker `worker` who found it verifies on site and closes it."""
    from yiwang.grids import actions

    staff, worker = user(staff), user(worker)
    handler = user(handler) if handler else unit_account(unit)
    unit = Organisation.objects.get(name=unit)
    steps = {
        "accepted": lambda p: actions.do_accept(p, by=staff, version=p.version),
        "dispatched": lambda p: actions.do_dispatch(p, by=staff, version=p.version, organisation=unit),
        "signed_for": lambda p: actions.do_sign_for(p, by=handler, version=p.version),
        "in_progress": lambda p: actions.do_start(p, by=handler, version=p.version),
        "feedback": lambda p: actions.do_feed_back(p, by=handler, version=p.version, outcome="已处理"),
        "verifying": lambda p: actions.do_verify(p, by=worker, version=p.version),
        "closed": lambda p: actions.do_close(p, by=worker, version=p.version),
    }
    for state in PROBLEM_PATH[:PROBLEM_PATH.index(to) + 1] if to != "reported" else []:
        problem = steps[state](problem)
        assert problem.state == state, (problem.state, state)
    return problem


def make_problem(grid, state: str = "reported", *, by="grid_worker", staff="liuheng_staff", **report):
    """A problem reported in `grid` and walked to `state` by the actions."""
    return advance_problem(report_problem(grid, by=by, **report), state, staff=staff, worker=by)


# --- online -------------------------------------------------------------------------------------------

ONLINE_APPLICANT = {"kind": "person", "name": "上官海燕", "id_number": "330602198805120025",
                    "phone": "13905751234", "address": "浙江省绍兴市越城区解放北路1号"}
ONLINE_RESPONDENT = {"kind": "person", "name": "李大海", "phone": "13857001234", "address": "舟山市普陀区沈家门"}


def file_online_case(*, applicant=None, respondent=None, centre="PT", dispute_type="neighbourhood", area=None,
                     **extra):
    """A case filed through the 解纷码 (`do_file_online`); returns (case, the applicant's access token)."""
    from yiwang.areas.models import Centre
    from yiwang.online.actions import do_file_online

    centre = Centre.objects.get(code=centre)
    return do_file_online(
        centre=centre, base_url="http://testserver", dispute_type=dispute_type, area=area or centre.area_id,
        facts=extra.pop("facts", "邻居装修导致我家墙面开裂。"), claims=extra.pop("claims", "请求赔偿修复费用。"),
        applicant={**ONLINE_APPLICANT, **(applicant or {})}, respondent={**ONLINE_RESPONDENT, **(respondent or {})},
        **extra,
    )
