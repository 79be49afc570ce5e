"""Malformed query strings and addresses answer a clear 400 or 404, never a server error: a date that is
well formed but impossible (month 13, year 0), an id past any database integer, a month out of range."""

import pytest

BIG = "99999999999999999999"


@pytest.mark.parametrize("value", ["2026-13-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-02-30T09:00:00+08:00"])
def test_open311_answers_400_for_an_impossible_date(cast, value):
    response = cast.client("putuo_staff").get("/open311/v2/requests.json", {"start_date": value})
    assert response.status_code == 400
    assert "start_date" in response.content.decode()


def test_open311_finds_no_request_for_an_id_past_any_database_integer(cast):
    response = cast.client("putuo_staff").get("/open311/v2/requests.json", {"service_request_id": BIG})
    assert response.status_code == 200 and response.json() == []
    assert cast.client("putuo_staff").get(f"/open311/v2/requests/{BIG}.json").status_code == 404


@pytest.mark.parametrize("month", ["0000-01", "1999-12", "2101-01", "2026-13"])
def test_a_month_report_page_outside_the_reports_range_is_404(cast, month):
    assert cast.client("putuo_staff").get(f"/grids/board/330903/month/{month}/").status_code == 404


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"])
def test_open311_answers_400_for_a_date_at_the_calendars_edge(cast, value):
    response = cast.client("putuo_staff").get("/open311/v2/requests.json", {"end_date": value})
    assert response.status_code == 400 and "end_date" in response.content.decode()


@pytest.mark.parametrize("query", ["start=0001-01-01&end=0001-01-02", "start=9999-12-30&end=9999-12-31"])
def test_figures_at_the_calendars_edge_fall_back_to_this_year_with_a_message(cast, query):
    response = cast.client("putuo_staff").get(f"/grids/board/330903/figures/?{query}")
    assert response.status_code == 200
    assert response.context["start"].year == response.context["end"].year >= 2026
    assert any(m.level_tag == "error" for m in response.context["messages"])
