"""A demand nobody claims within COBUILD_ESCALATE_DAYS goes to its street, once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from yiwang.cobuild.models import Demand
from yiwang.cobuild.tests.helpers import post_demand, walk
from yiwang.core import notices

pytestmark = pytest.mark.django_db


@override_settings(COBUILD_ESCALATE_DAYS=5)
def test_unclaimed_demands_escalate_once(co):
    old = post_demand(title="没人认领")
    claimed = walk(post_demand(title="已认领"), "claim")
    fresh = post_demand(title="刚发布")
    Demand.objects.filter(pk__in=[old.pk, claimed.pk]).update(posted_at=timezone.now() - dt.timedelta(days=6))
    told = []
    notices.notice_announced.connect(told.append)
    try:
        call_command("escalate_demands")
        call_command("escalate_demands")  # idempotent
    finally:
        notices.notice_announced.disconnect(told.append)
    old.refresh_from_db(), claimed.refresh_from_db(), fresh.refresh_from_db()
    assert old.escalated_at is not None and claimed.escalated_at is None and fresh.escalated_at is None
    assert [(n.kind, n.area_code, n.permission) for n in told] == [
        ("cobuilding.escalated", "330903100", "cobuild.manage")]
    page = co.client("liuheng_office").get("/cobuild/?show=open").content.decode()
    assert "没人认领" in page and "已上报街道" in page
