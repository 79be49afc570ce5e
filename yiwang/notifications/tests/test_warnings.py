"""A warning raised by the early-warning app (yiwang.warnings) reaches its leader: the inbox (and 浙政钉, for
a leader with a work account) for every level, the mobile too for a red one (urgent), whatever the leader
chose for SMS."""

import pytest

from yiwang.core import crypto
from yiwang.core.models import Notification
from yiwang.notifications.models import InboxItem
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def _leader_with_phone(cast):
    leader = cast.putuo_leader
    leader.phone = "13900003333"
    leader.save(update_fields=["phone"])
    return leader


def test_a_red_warning_reaches_the_district_leader_in_the_inbox_and_by_sms(cast):
    leader = _leader_with_phone(cast)
    f.register_case(people_involved=120, facts="一百多名渔民聚集讨要工钱。")  # group.size: red at 100
    item = InboxItem.objects.get(user=leader, kind="warning.raised")
    assert item.urgent and "120" in item.text
    assert Notification.objects.filter(crypto.match("recipient", leader.phone, kind="text"), channel="sms").count() == 1


def test_a_yellow_warning_reaches_the_inbox_but_not_the_mobile(cast):
    leader = _leader_with_phone(cast)
    f.register_case(people_involved=6)  # group.size: yellow at 5, for the village's tier
    items = InboxItem.objects.filter(kind="warning.raised")
    assert items.exists() and not items.filter(urgent=True).exists()
    assert not Notification.objects.filter(crypto.match("recipient", leader.phone, kind="text"), channel="sms").exists()
