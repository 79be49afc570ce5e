"""Who a notice reaches: the people named or holding the permission, the case's followers, never someone
who cannot see the case, never the actor; the channels each person chose, within what the kind requires."""

import pytest
from django.core import mail
from django.db import transaction

from yiwang.cases import actions as a
from yiwang.core import crypto
from yiwang.core.models import Notification
from yiwang.core.notices import Notice, announce
from yiwang.notifications import actions
from yiwang.notifications.models import InboxItem, Subscription
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def kinds_of(user):
    return sorted(InboxItem.objects.filter(user=user).values_list("kind", flat=True))


def test_a_follower_hears_of_each_event_and_an_outsider_following_by_a_stale_row_does_not(cast):
    case = f.make_case("accepted")  # 六横: the 沈家门 clerk cannot see it
    actions.do_follow_case(case, by=cast.putuo_leader)
    # A subscription left from before a grant was narrowed: delivery still checks the scope.
    Subscription.objects.create(user=cast.shenjiamen_clerk, case=case)
    a.do_assign(case, by=cast.putuo_staff, mediators=[cast.mediator_wang])
    assert kinds_of(cast.putuo_leader) == ["case.followed"]
    assert kinds_of(cast.shenjiamen_clerk) == []
    assert kinds_of(cast.mediator_wang) == ["case.assigned"]  # told once, as the mediator, not again as follower


def test_one_cannot_follow_a_case_one_cannot_see(cast):
    from yiwang.core.errors import PermissionRefused

    case = f.make_case("registered")
    with pytest.raises(PermissionRefused):
        actions.do_follow_case(case, by=cast.shenjiamen_clerk)
    assert not Subscription.objects.exists()


def test_area_by_type_subscribers_hear_of_new_cases_of_that_type_only(cast):
    from yiwang.areas.models import Area, DisputeType

    liuheng = Area.objects.get(code="330903100")
    actions.do_follow_area(liuheng, by=cast.putuo_leader, dispute_type=DisputeType.objects.get(code="neighbourhood"))
    f.register_case(dispute_type="neighbourhood")
    f.register_case(dispute_type="financial")
    f.register_case(area=f.village("330903001"), by="shenjiamen_clerk", dispute_type="neighbourhood")
    assert kinds_of(cast.putuo_leader) == ["case.registered"]


def test_a_notice_by_permission_reaches_only_those_who_can_see_what_it_is_about(cast):
    case = f.make_case("registered")
    with transaction.atomic():
        announce(Notice(kind="case.followed", text="测试", key="perm:1", area_code=case.area_id,
                        permission="case.view", about=case))
    told = set(InboxItem.objects.values_list("user__username", flat=True))
    assert {"liuheng_clerk", "putuo_staff", "putuo_leader"} <= told
    assert "shenjiamen_clerk" not in told and "grid_worker" not in told


def test_e_mail_is_sent_to_whoever_chose_it_through_the_outbox(cast):
    user = cast.mediator_wang
    user.email = "wang@example.org"
    user.save(update_fields=["email"])
    actions.do_set_channels(by=user, choices={("case.assigned", "email"): True})
    f.make_case("assigned")
    [message] = mail.outbox
    assert message.to == ["wang@example.org"] and "/cases/" in message.body
    assert Notification.objects.get(channel="email").status == "sent"


def test_a_staff_sms_waits_for_the_quiet_hours_to_end_unless_urgent(cast, sms, time_machine, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    import datetime as dt
    from zoneinfo import ZoneInfo

    # Delivery runs after the commit, as it does for real (not at once, as the other tests have it).
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: transaction.on_commit(enqueue))

    user = cast.mediator_wang
    user.phone = "13900002222"
    user.save(update_fields=["phone"])
    actions.do_set_channels(by=user, choices={("case.assigned", "sms"): True})
    time_machine.move_to(dt.datetime(2026, 3, 3, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = f.make_case("assigned")
    row = Notification.objects.get(crypto.match("recipient", "13900002222", kind="text"))
    assert row.status == "pending" and ("13900002222", row.text) not in sms
    assert timezone_local(row.next_attempt_at) == dt.datetime(2026, 3, 4, 8, 0)
    time_machine.move_to(dt.datetime(2026, 3, 4, 8, 1, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    from yiwang.core.outbox import deliver_outbox_now

    deliver_outbox_now()
    assert [to for to, _ in sms].count("13900002222") == 1
    # An urgent notice (a 督办) is not held: it reaches the phone at night.
    time_machine.move_to(dt.datetime(2026, 6, 3, 23, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    actions.do_set_channels(by=user, choices={("case.supervised", "sms"): True})
    with django_capture_on_commit_callbacks(execute=True):
        a.do_supervise(case, by=cast.putuo_staff, note="督办：今晚前回复。")
    assert [to for to, _ in sms].count("13900002222") == 2


def timezone_local(moment):
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None)


def test_zzd_takes_the_same_content_once_a_day_and_at_most_100_a_day(cast, zzd):
    from yiwang.notifications.delivery import ZZD_PER_USER_PER_DAY
    from yiwang.notifications.models import WorkAccount

    WorkAccount.objects.create(user=cast.putuo_staff, zzd_account_id="zzd-staff")
    with transaction.atomic():
        for n in range(2):  # two notices, one text
            announce(Notice(kind="case.overdue", text="同一内容", key=f"same:{n}", recipients=(cast.putuo_staff,)))
        for n in range(ZZD_PER_USER_PER_DAY + 5):
            announce(Notice(kind="case.overdue", text=f"第{n}条", key=f"many:{n}", recipients=(cast.putuo_staff,)))
    assert [text for _, text in zzd].count("同一内容") == 1
    assert len(zzd) == ZZD_PER_USER_PER_DAY
    assert InboxItem.objects.filter(user=cast.putuo_staff).count() == 2 + ZZD_PER_USER_PER_DAY + 5  # the inbox has all


def test_a_finished_job_tells_its_starter(cast, django_capture_on_commit_callbacks):
    from yiwang.core.jobs import start_job

    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("stats.export", by=cast.putuo_leader, area_code="330903", params={"area": "330903", "key": "areas"})
    job.refresh_from_db()
    assert job.status in ("succeeded", "failed")
    [item] = InboxItem.objects.filter(user=cast.putuo_leader, kind="job.finished")
    assert item.url == f"/jobs/{job.pk}/"


def test_a_party_message_in_the_room_reaches_the_mediators_and_a_mediators_message_the_parties(cast, sms):
    from yiwang.online import actions as online

    case = f.make_case("mediating")
    applicant = case.parties.get(role="applicant")
    sms.clear()
    online.do_post_message(case, party=applicant, text="我下周一有空。")
    [item] = InboxItem.objects.filter(user=cast.mediator_wang, kind="case.party_message")
    assert applicant.name in item.text and item.url == f"/online/cases/{case.pk}/room/"
    online.do_post_message(case, by=cast.mediator_wang, text="好的，周一上午九点。")
    online.do_post_message(case, by=cast.mediator_wang, text="请带上证据。")
    assert [to for to, _ in sms].count(applicant.phone) == 1  # one text a day per case


def test_a_grid_problem_dispatched_to_a_unit_reaches_its_people_once(cast):
    from yiwang.grids.models import Grid

    officer = cast.justice_unit  # the cast's account of 舟山市普陀区司法局 (partner_unit, limited to the unit)
    grid = Grid.objects.filter(area__code__startswith="330903100").order_by("code").first()
    problem = f.make_problem(grid, "signed_for")
    [item] = InboxItem.objects.filter(user=officer)
    assert item.kind == "grid.dispatched" and item.url == f"/grids/problems/{problem.pk}/"
    assert not InboxItem.objects.filter(kind="grid.dispatched").exclude(user=officer).exists()


def test_a_grid_problem_dispatched_to_a_team_reaches_its_members_once_and_not_the_dispatcher(cast):
    from yiwang.accounts.demo import grid_worker_area
    from yiwang.grids import actions as g
    from yiwang.grids.models import Grid

    # The worker's own grid (read from the grants, not from row order: a reloaded world renumbers rows).
    grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    staff = f.user("liuheng_staff")
    problem = f.report_problem(grid)
    problem = g.do_accept(problem, by=staff, version=problem.version)
    _units, teams = g.get_dispatch_targets(problem)
    team = teams.filter(grid_members__user=cast.grid_worker).order_by("pk").first()
    problem = g.do_dispatch(problem, by=staff, version=problem.version, team=team)
    [item] = InboxItem.objects.filter(user=cast.grid_worker, kind="grid.dispatched")
    assert item.url == f"/grids/problems/{problem.pk}/"
    assert not InboxItem.objects.filter(user=staff, kind="grid.dispatched").exists()
    g.do_sign_for(problem, by=cast.grid_worker, version=problem.version)  # a later step tells no one again
    assert InboxItem.objects.filter(kind="grid.dispatched").count() == 1
