"""GET /api/v1/stats/cases/ and /api/v1/stats/grids/: the figures, scope and bad input."""


from yiwang.cases import actions
from yiwang.stats.tests.test_aggregates import at, register, today


def this_year() -> str:
    """The query for this year so far, by the app's local date."""
    return f"start={today().year}-01-01&end={today():%Y-%m-%d}"


def test_received_equals_the_cases_api_count(cast):
    leader, staff = cast.api("putuo_leader"), cast.putuo_staff
    first = register(cast, phone="13857000031")
    duplicate = register(cast, phone="13857000031", channel="phone")
    actions.do_merge_cases(duplicate, into=first, by=staff, reason="重复登记")
    for area in ("330903", "330903100"):
        stats = leader.get(f"/api/v1/stats/cases/?area={area}&{this_year()}")
        assert stats.status_code == 200, stats.content
        listed = leader.get(f"/api/v1/cases/?area={area}&received_from={today().year}-01-01&received_to={today()}")
        data = stats.json()
        assert data["merged_duplicates"] >= 1
        # A dispute counts once: the cases API leaves merged duplicates out unless asked for by status.
        assert data["received"] == listed.json()["count"]
        merged = leader.get(f"/api/v1/cases/?area={area}&received_from={today().year}-01-01&received_to={today()}"
                            f"&status=merged")
        assert data["merged_duplicates"] == merged.json()["count"]
        assert sum(data["by_type"].values()) == data["received"]
        assert set(data) >= {"received_previous_year", "yoy_change_percent", "by_channel", "by_tier", "by_outcome",
                             "mediation_success_rate", "pre_litigation_diversion_rate", "closed_on_time_rate",
                             "handling_days_median", "trips_per_case", "satisfaction_mean"}


def test_yoy_is_rounded_and_null_without_a_previous_year(cast):
    leader = cast.api("putuo_leader")
    data = leader.get("/api/v1/stats/cases/?area=330903&start=2001-01-01&end=2001-12-31").json()
    assert data["received"] == 0 and data["yoy_change_percent"] is None
    # Three cases on 1 January last year (inside last year's same span, whatever today is), four now.
    for n in range(3):
        register(cast, received_at=at(today().year - 1, 1, 1, 0, 30), phone=f"1385700006{n}")
    for n in range(4):
        register(cast, phone=f"1385700006{n + 3}")
    data = leader.get(f"/api/v1/stats/cases/?area=330903&{this_year()}").json()
    assert (data["received"], data["received_previous_year"]) == (4, 3)  # +33.333…%: the rounding is checked
    expected = round((data["received"] - data["received_previous_year"]) * 100 / data["received_previous_year"], 2)
    assert abs(data["yoy_change_percent"] - expected) < 0.006


def test_grid_figures(cast):
    data = cast.api("putuo_leader").get(f"/api/v1/stats/grids/?area=330903100&{this_year()}").json()
    assert {"visits", "reported", "cleared", "backlog", "backlog_by_age", "reported_previous_year",
            "yoy_change_percent", "by_category"} <= set(data)


def test_an_area_outside_the_grant_is_not_found(cast):
    clerk = cast.api("liuheng_clerk")  # no stats.view at all
    assert clerk.get("/api/v1/stats/cases/?area=330903100").status_code == 404
    leader = cast.api("putuo_leader")  # stats.view on 普陀区 only
    assert leader.get("/api/v1/stats/cases/?area=33").status_code == 404
    assert leader.get("/api/v1/stats/grids/?area=3309").status_code == 404
    assert leader.get("/api/v1/stats/cases/?area=330903100").status_code == 200


def test_bad_input_is_400_with_a_message_per_field(cast):
    leader = cast.api("putuo_leader")
    response = leader.get("/api/v1/stats/cases/?area=330903&start=2026-13-01&end=yesterday")
    assert response.status_code == 400
    assert set(response.json()) == {"start", "end"}
    response = leader.get("/api/v1/stats/cases/?area=330903&start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400 and "end" in response.json()
    response = leader.get("/api/v1/stats/grids/?area=99999")
    assert response.status_code == 400 and "area" in response.json()
    assert cast.api("putuo_leader").get("/api/v1/stats/cases/").status_code == 200  # defaults: home area, this year


def test_anonymous_is_refused(client):
    assert client.get("/api/v1/stats/cases/?area=330903").status_code in (401, 403)


def test_the_endpoints_are_in_the_schema(cast):
    schema = cast.api("putuo_leader").get("/api/v1/openapi.json").json()
    assert "/api/v1/stats/cases/" in schema["paths"] and "/api/v1/stats/grids/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/stats/cases/"]["get"]["parameters"]}
    assert {"area", "start", "end"} <= params
