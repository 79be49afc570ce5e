"""Property: whatever sequence of actions random members of the cast attempt on a few cases, after every
step no case is in an illegal state, every open case has an owner and a deadline, every closed case an
outcome, every case resting on an agreement has one in effect (signed by every party and the mediator,
sealed, in that order; or oral and confirmed), and nobody acted outside their scope. Refused attempts
change nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yiwang.accounts.models import User
from yiwang.areas.models import Area, Organisation, OrganisationKind, Window
from yiwang.cases import actions, lifecycle
from yiwang.cases.models import TRANSITIONS, Case, CaseEvent, Status
from yiwang.core.scope import user_can, user_can_reach

USERS = ["liuheng_clerk", "shenjiamen_clerk", "putuo_staff", "mediator_wang", "maritime_mediator",
         "court_liaison", "putuo_leader", "bank_operator", "grid_worker"]
TEXT = st.sampled_from(["", "当事人同意", "被申请人拒绝调解"])


def _agreement(data):
    blank = data.draw(st.booleans())
    fill = "" if blank else "已写明"
    return {
        "facts": "事实", "matters_in_dispute": "争议事项", "responsibilities": fill or "责任",
        "content": "协议内容", "performance_manner": "转账", "performance_place": "六横镇",
        "performance_deadline": data.draw(st.sampled_from([None, timezone.localdate() + dt.timedelta(days=10)])),
    }


def _call(name, case, user, cases, data, cast_users):
    """Attempt action `name` on `case` as `user`, with arguments drawn from `data` (some of them bad)."""
    a = actions
    if name == "accept":
        return a.do_accept(case, by=user)
    if name == "not_accept":
        return a.do_not_accept(case, by=user, reason=data.draw(TEXT), redirect=data.draw(TEXT))
    if name == "assign":
        mediators = data.draw(st.lists(st.sampled_from(["mediator_wang", "maritime_mediator", "liuheng_clerk"]),
                                       min_size=1, max_size=2, unique=True))  # a clerk cannot mediate
        return a.do_assign(case, by=user, mediators=[cast_users[m] for m in mediators])
    if name == "recuse":
        mediator = cast_users[data.draw(st.sampled_from(["mediator_wang", "maritime_mediator"]))]
        return a.do_recuse(case, by=user, mediator=mediator, reason=data.draw(TEXT))
    if name == "escalate":
        leader = data.draw(st.sampled_from([None, "putuo_leader"]))
        return a.do_escalate(case, by=user, reason=data.draw(TEXT), lead_leader=cast_users.get(leader))
    if name == "delegate":
        return a.do_delegate(case, by=user, reason=data.draw(TEXT))
    if name == "transfer_window":
        window = data.draw(st.sampled_from(list(Window.objects.order_by("id")[:3])))
        return a.do_transfer_window(case, by=user, window=window)
    if name == "merge":
        other = cases[data.draw(st.integers(0, len(cases) - 1))]
        other.refresh_from_db()
        return a.do_merge_cases(case, into=other, by=user, reason=data.draw(TEXT))
    if name == "start_mediation":
        return a.do_start_mediation(case, by=user)
    if name == "record_session":
        return a.do_record_session(case, by=user, record=data.draw(TEXT))
    if name == "extend":
        return a.do_extend(case, by=user, days=data.draw(st.sampled_from([0, 10, 31])),
                           consent=data.draw(st.booleans()))
    if name == "record_agreement":
        return a.do_record_agreement(case, by=user, **_agreement(data))
    if name == "record_oral_agreement":
        return a.do_record_oral_agreement(case, by=user, parties_confirmed=data.draw(st.booleans()),
                                          **_agreement(data))
    if name == "record_paper_signature":
        from yiwang.testing.factories import scan_file

        party = data.draw(st.sampled_from([None, *case.parties.order_by("id")]))
        return a.do_record_paper_signature(case, by=user, party=party, witness=data.draw(TEXT),
                                           scan=scan_file() if data.draw(st.booleans()) else None)
    if name == "sign_agreement":
        return a.do_sign_agreement(case, by=user)
    if name == "seal_agreement":
        return a.do_seal_agreement(case, by=user)
    if name == "apply_confirmation":
        return a.do_apply_confirmation(case, by=user)
    if name == "accept_confirmation":
        return a.do_accept_confirmation(case, by=user)
    if name == "extend_confirmation":
        return a.do_extend_confirmation(case, by=user, reason=data.draw(TEXT))
    if name == "record_confirmation":
        return a.do_record_confirmation(case, by=user, accepted=data.draw(st.booleans()),
                                        court_case_number=data.draw(st.sampled_from(["", "(2026)浙0903民特1号"])),
                                        note=data.draw(TEXT))
    if name == "record_performance":
        return a.do_record_performance(case, by=user, completed=data.draw(st.booleans()))
    if name == "terminate":
        return a.do_terminate(case, by=user, reason=data.draw(TEXT), routes_told=data.draw(TEXT))
    if name == "record_refusal":
        party = data.draw(st.sampled_from([None, *case.parties.order_by("id")]))
        return a.do_record_refusal(case, by=user, party=party, reason=data.draw(TEXT), routes_told=data.draw(TEXT))
    if name == "refer":
        kind = data.draw(st.sampled_from(["litigation", "arbitration", "administrative"]))
        body = Organisation.objects.filter(kind=data.draw(st.sampled_from(
            [OrganisationKind.COURT, OrganisationKind.ARBITRATION, OrganisationKind.BANK]))).first()
        return a.do_refer(case, by=user, kind=kind, body=body)
    if name == "record_referral_result":
        return a.do_record_referral_result(case, by=user, external_number=data.draw(TEXT))
    if name == "return_to_court":
        return a.do_return_to_court(case, by=user, reason=data.draw(TEXT))
    if name == "withdraw":
        return a.do_withdraw(case, by=user, reason=data.draw(TEXT))
    if name == "follow_up":
        return a.do_follow_up(case, by=user, satisfaction=data.draw(st.integers(0, 6)))
    if name == "archive":
        return a.do_archive(case, by=user)
    if name == "supervise":
        return a.do_supervise(case, by=user, note=data.draw(TEXT))
    if name == "record_visit":
        return a.do_record_visit(case, by=user)
    raise AssertionError(name)


API_NAMES = {"merge_cases": "merge"}
# Every step the lifecycle table offers on the page (a new row without a branch in _call fails when drawn).
ACTIONS = [API_NAMES.get(step.name, step.name) for step in lifecycle.PAGE_STEPS]
FORWARD = {"accept", "assign", "start_mediation", "record_session", "record_agreement", "record_paper_signature",
           "sign_agreement", "seal_agreement", "apply_confirmation", "accept_confirmation",
           "record_confirmation", "record_performance", "follow_up", "archive", "terminate", "refer",
           "record_referral_result"}


def _check(cases, previous_status, previous_version, seen_events):
    for case in cases:
        case.refresh_from_db()
        assert case.status in Status.values
        assert case.invariant_errors() == [], (case.number, case.invariant_errors())
        # No path reaches agreed, confirmation or performance without every signature and the seal (art. 29).
        assert case.agreement_errors() == [], (case.number, case.agreement_errors())
        before = previous_status[case.pk]
        assert case.status == before or case.status in TRANSITIONS[before], (before, case.status)
        if case.version == previous_version[case.pk]:
            assert case.status == before  # nothing changes without the version changing
        previous_status[case.pk] = case.status
        previous_version[case.pk] = case.version
    for event in CaseEvent.objects.filter(case__in=cases).exclude(pk__in=seen_events).select_related("actor", "case"):
        # Every recorded act was taken under an action code its actor holds on the case's area, and on
        # this case (whose case it is: actions.check_case_party).
        assert user_can(event.actor, event.detail["permission"], event.case.area_id), (
            event.actor, event.kind, event.case.area_id)
        assert actions.check_case_party(event.case, event.actor, event.detail["permission"]), (
            event.actor, event.kind, event.case.number)
        assert user_can_reach(event.actor, "case.view", event.case)
        seen_events.add(event.pk)


def _register(cast_users, area, dispute_type="neighbourhood", by="putuo_staff", n=0, **extra):
    return actions.do_register_case(
        by=cast_users[by], channel="window", dispute_type=dispute_type, area=area, facts=f"性质测试{n}",
        claims="调解", applicants=[{"name": f"申请人{n}", "phone": f"1385700{n:04d}"}], **extra,
    )


@pytest.fixture
def cast_users(demo) -> dict:
    """The cast as a plain dict (Hypothesis probes fixtures' attributes, which a Cast would look up)."""
    return {u.username: u for u in User.objects.filter(username__in=USERS)}


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_actions_by_random_users_keep_every_invariant(cast_users, data):
    liuheng = Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first().code
    shenjiamen = Area.objects.filter(code__startswith="330903001", level="village").order_by("code").first().code
    cases = [
        _register(cast_users, liuheng, by="liuheng_clerk", n=1),
        _register(cast_users, shenjiamen, by="shenjiamen_clerk", n=2, amount="80000"),
        _register(cast_users, liuheng, "maritime", n=3, vessel_name="浙普渔60001", sea_area="六横海域"),
        # The bank's own submission: its operator's grant is limited to the bank's cases.
        _register(cast_users, shenjiamen, "financial", by="bank_operator", n=4),
    ]
    previous_status = {c.pk: c.status for c in cases}
    previous_version = {c.pk: c.version for c in cases}
    seen_events: set = set()
    _check(cases, previous_status, previous_version, seen_events)
    for _step in range(data.draw(st.integers(10, 40), label="steps")):
        case = Case.objects.get(pk=cases[data.draw(st.integers(0, len(cases) - 1), label="case")].pk)
        offers = {u: [API_NAMES.get(n, n) for n in actions.get_available_actions(case, cast_users[u])]
                  for u in USERS}
        movers = sorted(u for u in USERS if any(n in FORWARD for n in offers[u]))
        choice = data.draw(st.integers(0, 3), label="kind of choice")
        if movers and choice >= 2:  # mostly someone moves the case on, so that sequences get far
            username = data.draw(st.sampled_from(movers), label="user")
            name = data.draw(st.sampled_from([n for n in offers[username] if n in FORWARD]), label="action")
        else:  # or anyone attempts anything, offered or not
            username = data.draw(st.sampled_from(USERS), label="user")
            pool = offers[username] if offers[username] and choice == 1 else ACTIONS
            name = data.draw(st.sampled_from(pool), label="action")
        user = cast_users[username]
        offered = offers[username]
        try:
            _call(name, case, user, cases, data, cast_users)
        except actions.PermissionRefused:
            # What is offered is permitted, except merging into a case the user may not route (input).
            assert name not in offered or name == "merge", f"{name} offered to {username} but refused"
        except actions.CaseActionError as refused:
            assert refused.messages and all(str(m) for m in refused.messages)
        else:
            # It went through: the user was allowed to see the case and it was an action on offer.
            assert user_can_reach(user, "case.view", case), (username, name, case.area_id)
            assert name in offered, f"{name} by {username} succeeded but was not offered"
        _check(cases, previous_status, previous_version, seen_events)
