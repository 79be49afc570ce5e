"""最多跑一地: a case that needed more than one trip in person is flagged on its page and counted on the
statistics dashboard (a card the disputes app registers there)."""

import datetime as dt

from django.urls import reverse

from yiwang.areas.models import Area
from yiwang.cases import actions
from yiwang.cases.extensions import get_trips_panel
from yiwang.testing.factories import make_case

CST = dt.timezone(dt.timedelta(hours=8))


def test_a_second_trip_flags_the_case_and_counts_on_the_dashboard(cast, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=CST), tick=False)
    once, twice = make_case("accepted"), make_case("accepted")
    twice = actions.do_record_visit(twice, by=cast.liuheng_clerk, note="补交材料")
    assert twice.visits == 2 and twice.needed_more_than_one_trip and not once.needed_more_than_one_trip
    page = cast.client("liuheng_clerk").get(reverse("cases:detail", args=[twice.pk])).content.decode()
    assert 'id="more-than-one-trip"' in page
    assert 'id="more-than-one-trip"' not in cast.client("liuheng_clerk").get(
        reverse("cases:detail", args=[once.pk])).content.decode()

    town = Area.objects.get(code="330903100")
    panel = get_trips_panel(town, cast.putuo_leader)
    assert (panel["received"], panel["multi"], panel["share"]) == (2, 1, 50.0)
    assert get_trips_panel(town, cast.bank_operator) is None  # no statistics for the bank
    dashboard = cast.client("putuo_leader").get("/stats/330903100/").content.decode()
    assert 'id="cases-trips"' in dashboard
