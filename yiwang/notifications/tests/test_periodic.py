"""Deadline reminders and the leader's digest: the right cases, the right people, once a day however often
cron runs them."""

import datetime as dt

import pytest
from django.core.management import call_command

from yiwang.cases.models import Case
from yiwang.notifications.models import InboxItem
from yiwang.notifications.periodic import get_digest, send_deadline_reminders, send_digests
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def test_a_case_due_tomorrow_and_an_overdue_one_remind_their_owners_once_a_day(cast, time_machine):
    due = f.make_case("mediating")
    late = f.make_case("mediating")
    far = f.make_case("mediating")
    today = dt.date(2026, 3, 3)
    Case.objects.filter(pk=due.pk).update(deadline=dt.date(2026, 3, 4))
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 3, 2))
    Case.objects.filter(pk=far.pk).update(deadline=dt.date(2026, 4, 30))

    assert send_deadline_reminders(today) == (1, 1)
    assert send_deadline_reminders(today) == (1, 1)  # cron ran twice: nothing new
    mine = InboxItem.objects.filter(user=cast.mediator_wang, kind__in=["case.deadline_near", "case.overdue"])
    assert sorted(mine.values_list("kind", flat=True)) == ["case.deadline_near", "case.overdue"]
    assert mine.get(kind="case.overdue").urgent and late.number in mine.get(kind="case.overdue").text
    send_deadline_reminders(today + dt.timedelta(days=1))
    # The next day each is told once more: the late one still overdue, the other due that very day.
    assert mine.filter(kind="case.overdue").count() == 2 and mine.filter(kind="case.deadline_near").count() == 2


def test_the_command_runs_idempotently(cast, capsys):
    f.make_case("mediating")
    call_command("remind_deadlines")
    call_command("remind_deadlines")
    assert "due soon" in capsys.readouterr().out


def test_the_digest_counts_what_the_reader_can_see_by_town(cast, time_machine):
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    f.register_case()  # 六横, yesterday
    f.register_case()
    f.register_case(area=f.village("330903001"), by="shenjiamen_clerk")  # 沈家门
    late = f.make_case("mediating")
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2026, 3, 1))
    today = dt.date(2026, 3, 3)
    digest = get_digest(cast.putuo_leader, today)
    assert digest["new"] == 4 and digest["overdue"] == 1
    assert {name: (new, overdue) for name, new, overdue in digest["areas"]} == {"六横镇": (3, 1), "沈家门街道": (1, 0)}

    time_machine.move_to(dt.datetime(2026, 3, 3, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    send_digests(today)
    send_digests(today)
    [item] = InboxItem.objects.filter(user=cast.putuo_leader, kind="digest.daily")
    assert "4" in item.text and "六横镇" in item.text
    assert not InboxItem.objects.filter(user=cast.liuheng_clerk, kind="digest.daily").exists()  # no stats.view
