"""A NUL character (%00) in a query string or a path is a bad request (400) everywhere, on SQLite and on
PostgreSQL, whose text columns cannot hold one (it used to reach the filters and fail with a 500)."""

import pytest

URLS = [
    "/api/v1/areas/?area=%00", "/api/v1/centres/?level=%00", "/api/v1/cases/?q=%00", "/api/v1/cases/?dispute_type=%00",
    "/api/v1/grid-problems/?area=%00", "/api/v1/grid-problems/?state=%00", "/grids/problems/?area=%00",
    "/grids/board/G%00/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_nul_character_is_a_bad_request(cast, url):
    client = cast.api("putuo_staff") if url.startswith("/api/") else cast.client("putuo_staff")
    assert client.get(url).status_code == 400


def test_an_ordinary_query_still_answers(cast):
    assert cast.api("putuo_staff").get("/api/v1/areas/?area=330903").status_code == 200
