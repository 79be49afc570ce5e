"""Who is told: the tier by level and area, the leader in charge (包案), the escalation of a red warning
nobody acknowledged."""

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.testing import factories as f
from yiwang.warnings import routing
from yiwang.warnings.actions import do_escalate_overdue, do_step
from yiwang.warnings.models import EventKind, Warning

pytestmark = pytest.mark.django_db
VILLAGE = "330903100201"


@pytest.mark.parametrize(("area", "level", "tier", "code"), [
    (VILLAGE, "yellow", "village", VILLAGE), (VILLAGE, "orange", "town", "330903100"),
    (VILLAGE, "red", "district", "330903"), ("330903100", "yellow", "town", "330903100"),
    ("330903", "yellow", "district", "330903"),
])
def test_the_tier_by_level_and_area(area, level, tier, code):
    assert routing.get_tier(area, level) == (tier, code)


def test_without_a_village_leader_the_town_is_told(cast, town_leader):
    assert routing.get_responders("village", VILLAGE) == [town_leader]
    assert routing.get_responders("town", "330903100") == [town_leader]
    assert routing.get_responders("district", "330903") == [cast.putuo_leader]
    assert routing.get_responders("town", "330903001") == [cast.putuo_leader]  # 沈家门 has no warning leader


def test_an_orange_warning_tells_the_town_and_a_red_one_the_district_urgently(cast, town_leader, notices):
    f.register_case(people_involved=35)
    [orange] = notices
    assert orange.recipients == (town_leader,) and not orange.urgent
    f.register_case(facts="扬言要同归于尽", claims="赔偿")
    red = notices[-1]
    assert red.recipients == (cast.putuo_leader,) and red.urgent
    assert red.url == f"/warnings/{Warning.objects.get(rule='danger.extreme').pk}/"


def test_the_leader_in_charge_is_told_too(cast, town_leader, notices):
    case = f.register_case(by="putuo_staff", area=f.village(), people_involved=8, tier="district",
                           lead_leader=cast.putuo_leader)
    warning = Warning.objects.get(rule="group.size")
    assert list(warning.leaders.all()) == [cast.putuo_leader] and case.lead_leader == cast.putuo_leader
    assert set(notices[-1].recipients) == {town_leader, cast.putuo_leader}


def test_an_unacknowledged_red_warning_escalates_after_the_rules_time(cast, notices):
    f.register_case(facts="说要跳楼", claims="赔偿")
    warning = Warning.objects.get(rule="danger.extreme")
    # A red warning in a village goes to the district at once; one moved down to the town escalates.
    Warning.objects.filter(pk=warning.pk).update(tier="town", routed_area="330903100")
    raised = warning.raised_at
    assert do_escalate_overdue(now=raised + dt.timedelta(hours=3, minutes=59)) == []
    [escalated] = do_escalate_overdue(now=raised + dt.timedelta(hours=4))
    assert (escalated.tier, escalated.routed_area) == ("district", "330903")
    assert escalated.events.filter(kind=EventKind.ESCALATED).count() == 1
    assert notices[-1].kind == "warning.escalated" and notices[-1].urgent
    assert do_escalate_overdue(now=raised + dt.timedelta(hours=12)) == []  # at the top: nowhere further


def test_where_the_district_sends_red_to_the_town_first_an_unacknowledged_one_reaches_the_district(
        cast, notices, settings):
    settings.YIWANG_WARNING_RED_TIER = "town"
    assert routing.get_tier(VILLAGE, "red") == ("town", "330903100")
    f.register_case(facts="说要跳楼", claims="赔偿")
    warning = Warning.objects.get(rule="danger.extreme")
    assert (warning.tier, warning.routed_area) == ("town", "330903100")
    assert cast.putuo_leader not in notices[-1].recipients and notices[-1].urgent
    [escalated] = do_escalate_overdue(now=warning.raised_at + dt.timedelta(hours=4))
    assert (escalated.tier, escalated.routed_area) == ("district", "330903")
    assert cast.putuo_leader in notices[-1].recipients and notices[-1].kind == "warning.escalated"


def test_escalation_counts_from_the_last_escalation_and_stops_once_acknowledged(cast):
    f.register_case(facts="说要跳楼", claims="赔偿")
    warning = Warning.objects.get(rule="danger.extreme")
    Warning.objects.filter(pk=warning.pk).update(tier="village", routed_area="330903100201")
    now = timezone.now()
    [first] = do_escalate_overdue(now=now + dt.timedelta(hours=5))
    assert first.tier == "town"
    assert do_escalate_overdue(now=now + dt.timedelta(hours=6)) == []  # one period since the last step up
    first.refresh_from_db()
    do_step(first, "acknowledge", by=cast.putuo_leader, version=first.version)
    assert do_escalate_overdue(now=now + dt.timedelta(hours=20)) == []


def test_yellow_and_orange_warnings_do_not_escalate(cast):
    f.register_case(people_involved=35)
    assert do_escalate_overdue(now=timezone.now() + dt.timedelta(days=3)) == []
