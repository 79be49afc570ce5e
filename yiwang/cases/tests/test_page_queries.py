"""The number of queries a page runs is its shape, not its data: the case page, the queue pages and the API
list run as many queries for a case with many parties, in a table of many cases, as for one with two. The case
page reads the parties and the reader's grants and mediation once however many panels ask."""

import collections
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yiwang.testing.factories import applicant, register_case

CASE_PAGE_QUERIES = 30  # the bound the case page keeps to (apps built on cases add their panels' queries)


def count(client, url, params=None) -> tuple[int, list[str]]:
    client.get(url, params)  # once untimed: the reader's first request reads what is cached afterwards
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured), [q["sql"] for q in captured]


def _tables(sqls) -> collections.Counter:
    """How many queries read each table (by the first table each names)."""
    return collections.Counter(re.search(r'FROM "(\w+)"', s).group(1) if 'FROM "' in s else s[:30] for s in sqls)


def test_the_case_page_reads_parties_once_and_does_not_grow_with_them(cast):
    client = cast.client("liuheng_clerk")
    small = register_case(applicants=[applicant(), applicant()], respondents=[applicant(), applicant()])
    few, sqls = count(client, reverse("cases:detail", args=[small.pk]))
    assert few <= CASE_PAGE_QUERIES, "\n".join(sqls)
    # The prefetch, the refusal form's choice of party, the possible duplicates' parties (one query each).
    assert _tables(sqls)["cases_party"] <= 3, _tables(sqls)
    big = register_case(applicants=[applicant() for _ in range(4)], respondents=[applicant() for _ in range(3)])
    for _ in range(3):
        register_case()
    many, more_sqls = count(client, reverse("cases:detail", args=[big.pk]))
    # The same bound, and the parties still read in a few queries, not one per party or per panel.
    assert many <= CASE_PAGE_QUERIES and _tables(more_sqls)["cases_party"] <= 3, _tables(more_sqls)


def test_queue_pages_do_not_grow_with_the_cases(cast):
    client = cast.client("putuo_staff")
    register_case()
    queues = [{}, {"queue": "all"}, {"queue": "all", "state": "overdue"}, {"queue": "all", "q": "欧阳"}]
    few = [count(client, reverse("cases:queue"), params)[0] for params in queues]
    for _ in range(4):
        register_case(applicants=[applicant(), applicant()])
    assert [count(client, reverse("cases:queue"), params)[0] for params in queues] == few
