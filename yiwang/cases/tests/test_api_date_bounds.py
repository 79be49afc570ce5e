"""The case list's date filters refuse the calendar's edges with a message, instead of overflowing when
the day is turned into its start in UTC (year 1) or the day after (31 December 9999)."""

import pytest


@pytest.mark.parametrize("query", ["received_from=0001-01-01", "received_to=9999-12-31", "received_from=2026-13-01"])
def test_a_date_filter_outside_the_calendar_is_400_with_a_message(cast, query):
    response = cast.api("putuo_staff").get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {query.split("=")[0]}


def test_an_ordinary_period_still_lists(cast):
    assert cast.api("putuo_staff").get("/api/v1/cases/?received_from=2026-01-01&received_to=2026-12-31").status_code == 200
