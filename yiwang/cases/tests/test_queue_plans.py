"""The open queues read one page of an index, whatever the table's size: each narrowing a queue offers (the
province, a county, a town, a centre, a window) has an index on open cases in (deadline, id) order, and the
scope is written so that PostgreSQL can use it (a county's or a town's code prefix as an equality)."""

import pytest
from django.db import connection

from yiwang.cases.models import Case
from yiwang.testing.factories import register_case, village

QUEUE_INDEXES = ("case_open_queue", "case_open_queue_county", "case_open_queue_town", "case_open_queue_centre",
                 "case_open_queue_window", "case_scope_county", "case_scope_town")


def test_every_queue_index_exists(db):
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, Case._meta.db_table))
    assert set(QUEUE_INDEXES) <= names


def test_a_county_and_a_town_scope_match_the_same_cases_as_their_code_prefix(cast):
    inside, outside = register_case(), register_case(by="shenjiamen_clerk", area=village("330903001"))
    for code in ("33", "3309", "330903", inside.area_id[:9], inside.area_id):
        expected = set(Case.objects.filter(area__code__startswith=code).values_list("pk", flat=True))
        assert set(Case.objects.in_area(code).values_list("pk", flat=True)) == expected
    assert set(Case.objects.in_area(inside.area_id[:9]).values_list("pk", flat=True)) >= {inside.pk}
    assert outside.pk not in set(Case.objects.in_area(inside.area_id[:9]).values_list("pk", flat=True))
    county = set(Case.objects.visible_to(cast.putuo_staff).values_list("pk", flat=True))
    assert {inside.pk, outside.pk} <= county


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(("queue", "index"), [
    ("province", "case_open_queue"), ("county", "case_open_queue_county"), ("town", "case_open_queue_town"),
    ("centre", "case_open_queue_centre"), ("window", "case_open_queue_window"),
])
def test_each_open_queue_can_stop_after_one_page(cast, queue, index):
    case = register_case()
    cases = {
        "province": Case.objects.in_area("33"),
        "county": Case.objects.visible_to(cast.putuo_staff),
        "town": Case.objects.visible_to(cast.liuheng_clerk),
        "centre": Case.objects.visible_to(cast.putuo_staff).filter(centre_id=case.centre_id),
        "window": Case.objects.visible_to(cast.putuo_staff).filter(window_id=case.window_id or 1),
    }[queue]
    sql, params = cases.open().order_by("deadline", "id")[:26].query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table is read by a scan whatever the indexes: forbid that, then see what is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # On a tiny table a centre's or a window's queue may as well read the county's index in order: any
    # open-queue index without a sort is a plan that stops after one page.
    assert "Sort" not in plan and "Seq Scan" not in plan, plan
    assert index in plan if queue in ("province", "county", "town") else "case_open_queue" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
@pytest.mark.parametrize(("user", "index"), [("putuo_staff", "case_scope_county"), ("liuheng_clerk", "case_scope_town")])
def test_the_api_lists_bounded_count_reads_an_index_range_not_the_table(cast, user, index):
    # Every state but merged (the API list's default), counted up to the bound: without an index on the
    # scope's prefix this is a scan of every case in the table (175 ms at 1M cases, for a county).
    register_case()
    cases = Case.objects.visible_to(getattr(cast, user)).exclude(status="merged")
    # The statement BoundedPagination's count runs: the bounded subquery without the list's ordering.
    sql, params = cases.order_by().values("pk")[:10001].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN SELECT count(*) FROM (" + sql + ") AS bounded", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan and index in plan, plan
