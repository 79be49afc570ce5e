"""The REST API for grid problems: scoped reads and workflow steps through the same actions."""

from yiwang.grids import actions


def test_problems_are_listed_only_inside_the_callers_grants(cast, liuheng_grid, shenjiamen_grid):
    mine = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="a")
    actions.do_report_problem(shenjiamen_grid, by=cast.admin, category="other", description="b")
    data = cast.api("grid_worker").get("/api/v1/grid-problems/").json()
    assert [p["id"] for p in data["results"]] == [mine.pk]
    assert cast.api("shenjiamen_clerk").get(f"/api/v1/grid-problems/{mine.pk}/").status_code == 404


def test_a_step_through_the_api_and_its_refusals(cast, liuheng_grid):
    problem = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="a")
    url = f"/api/v1/grid-problems/{problem.pk}/step/"
    staff = cast.api("liuheng_staff")
    assert cast.api("grid_worker").post(url, {"step": "accept", "version": 1}).status_code == 403
    response = staff.post(url, {"step": "accept", "version": 1, "tier": "major"})
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert response.json()["steps"] == ["dispatch"]
    assert staff.post(url, {"step": "accept", "version": 1}).status_code == 409
    bad = staff.post(url, {"step": "dispatch", "version": 2})
    assert bad.status_code == 400 and "organisation" in bad.json()
