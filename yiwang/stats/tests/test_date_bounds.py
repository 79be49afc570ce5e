"""A period at the calendar's edges (year 1, 31 December 9999) is refused with a message per field, on the
dashboard and in the API: year-on-year figures would otherwise reach outside the calendar and crash."""

import pytest


@pytest.mark.parametrize("query", ["start=0001-01-01&end=0001-01-02", "start=9999-12-31&end=9999-12-31",
                                   "start=1999-12-31&end=2000-01-31"])
def test_the_dashboard_refuses_a_period_outside_the_supported_years(cast, query):
    response = cast.client("putuo_leader").get(f"/stats/330903/?{query}")
    assert response.status_code == 400
    assert "2000-01-01" in response.content.decode()


def test_the_api_refuses_a_period_outside_the_supported_years(cast):
    response = cast.api("putuo_leader").get("/api/v1/stats/cases/?area=330903&start=0001-01-01&end=9999-12-31")
    assert response.status_code == 400
    assert set(response.json()) == {"start", "end"}
