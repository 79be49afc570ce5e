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


@pytest.fixture
def warnings_section():
    """A digest section as the warnings app registers one: lines for what the reader may see."""
    from yiwang.core import registry

    def lines(user, day):
        if user.username != "putuo_leader":
            return []
        return ["预警：", f"六横镇 {day.isoformat()} 群体性纠纷苗头 1 起"]

    def broken(user, day):
        raise RuntimeError("a bug in another app")

    registry.digest_sections.register(registry.DigestSection("test.warnings", lines=lines, order=10))
    registry.digest_sections.register(registry.DigestSection("test.broken", lines=broken, order=5))
    yield
    registry.digest_sections.unregister("test.warnings")
    registry.digest_sections.unregister("test.broken")


def test_registered_sections_follow_the_cases_part_and_a_broken_one_is_left_out(cast, warnings_section, caplog):
    today = dt.date(2026, 3, 3)
    send_digests(today, force=True)
    [item] = InboxItem.objects.filter(user=cast.putuo_leader, kind="digest.daily")
    cases_part, section = item.text.split("\n\n")
    assert "2026-03-03" in cases_part.splitlines()[0]
    assert section.splitlines() == ["预警：", "六横镇 2026-03-03 群体性纠纷苗头 1 起"]
    assert "test.broken" in caplog.text
    # A reader the section has nothing for gets the cases part alone.
    others = InboxItem.objects.filter(kind="digest.daily").exclude(user=cast.putuo_leader)
    assert others.exists() and all("预警" not in other.text for other in others)


def test_the_digest_waits_for_the_configured_hour_then_goes_once(cast, settings, time_machine, capsys):
    from zoneinfo import ZoneInfo

    settings.NOTIFICATIONS_DIGEST_AT = (18, 0)
    digests = InboxItem.objects.filter(user=cast.putuo_leader, kind="digest.daily")
    time_machine.move_to(dt.datetime(2026, 3, 3, 17, 59, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    call_command("send_digest")
    assert "18:00" in capsys.readouterr().out and not digests.exists()
    time_machine.move_to(dt.datetime(2026, 3, 3, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    call_command("send_digest")
    time_machine.move_to(dt.datetime(2026, 3, 3, 23, 45, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    call_command("send_digest")  # cron every 15 minutes: still one digest that day
    assert digests.count() == 1 and "2026-03-03" in digests.get().text
