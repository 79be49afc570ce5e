"""The API case list at any size: its count is exact up to a bound and null past it ("10,000+"), it pages
by number as it always did or by keyset (`cursor`), and its number of queries does not grow with the cases."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yiwang.api import BoundedPagination
from yiwang.testing.factories import register_case

URL = "/api/v1/cases/"


def test_the_count_is_exact_up_to_its_bound_and_null_past_it(cast, monkeypatch):
    for _ in range(4):
        register_case()
    api = cast.api("liuheng_clerk")
    body = api.get(URL).json()
    assert body["count"] == 4 and body["count_bound"] == BoundedPagination.count_bound
    monkeypatch.setattr(BoundedPagination, "count_bound", 3)
    body = api.get(URL).json()
    assert body["count"] is None and body["count_bound"] == 3 and len(body["results"]) == 4


def test_pages_by_number_and_by_cursor_list_every_case_once_newest_first(cast):
    # Two received at the same moment: the id breaks the tie, for page numbers and cursors alike.
    at = timezone.now() - dt.timedelta(hours=1)
    made = [register_case(received_at=at).pk for _ in range(2)] + [register_case().pk for _ in range(3)]
    api = cast.api("liuheng_clerk")
    expected = [c["id"] for c in api.get(URL, {"page_size": 50}).json()["results"]]
    assert set(made) <= set(expected)

    by_number, url = [], f"{URL}?page_size=2"
    while url:
        body = api.get(url).json()
        by_number += [c["id"] for c in body["results"]]
        url = body["next"]
    assert by_number == expected

    by_cursor, url = [], f"{URL}?page_size=2&cursor="
    while url:
        body = api.get(url).json()
        assert body["previous"] is None and body["count"] == len(expected)
        by_cursor += [c["id"] for c in body["results"]]
        url = body["next"]
    assert by_cursor == expected


def test_a_bad_page_or_cursor_is_a_404_and_shows_nothing(cast):
    register_case()
    api = cast.api("liuheng_clerk")
    assert api.get(URL, {"page": 99}).status_code == 404
    assert api.get(URL, {"page": "x"}).status_code == 404
    assert api.get(URL, {"cursor": "not a cursor"}).status_code == 404


def test_the_list_runs_as_many_queries_for_many_cases_as_for_few(cast):
    api = cast.api("putuo_staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL, {"page_size": 50}).status_code == 200
        return len(captured)

    register_case()
    queries()  # a token's first use records when it was used (then at most once a minute)
    few = queries()
    for _ in range(4):
        register_case()
    assert queries() == few
