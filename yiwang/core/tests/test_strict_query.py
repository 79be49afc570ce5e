"""Query parameters are read strictly: a malformed `page_size` or yes/no filter is a 400 naming it, not
silently the default (schemathesis's negative cases found both)."""

import pytest


@pytest.mark.parametrize("url", ["/api/v1/warnings/?page_size=abc", "/api/v1/cases/?page_size=1.5",
                                 "/api/v1/vessels/?page_size=%7B%7D"])
def test_a_malformed_page_size_is_a_400_naming_it(cast, url):
    response = cast.api("liuheng_clerk").get(url)
    assert response.status_code == 400 and "page_size" in response.json()


def test_a_good_page_size_still_pages_and_a_huge_one_is_capped(cast):
    api = cast.api("liuheng_clerk")
    assert api.get("/api/v1/areas/?page_size=2").status_code == 200
    assert api.get("/api/v1/areas/?page_size=100000").status_code == 200


@pytest.mark.parametrize("name", ["overdue", "mine"])
def test_a_yes_no_filter_takes_only_yes_or_no(cast, name):
    api = cast.api("liuheng_clerk")
    assert api.get(f"/api/v1/cases/?{name}=maybe").status_code == 400
    assert api.get(f"/api/v1/cases/?{name}=false").status_code == 200
    assert api.get(f"/api/v1/cases/?{name}=1").status_code == 200


def test_statistics_without_an_area_for_someone_with_no_statistics_grant_is_404(cast):
    assert cast.api("bank_operator").get("/api/v1/stats/cases/").status_code == 404
