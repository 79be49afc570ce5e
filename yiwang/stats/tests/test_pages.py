"""The dashboard pages: figures, drill-down, links to the rows behind them, Excel, PDF, scope."""

import datetime as dt
import io
import re

from openpyxl import load_workbook

from yiwang.stats.figures import get_case_figures
from yiwang.stats.tests.test_aggregates import register, today
from yiwang.testing import assert_not_found_for


def this_year() -> str:
    """The query for this year so far, by the app's local date."""
    return f"start={today().year}-01-01&end={today():%Y-%m-%d}"


def test_the_leader_opens_the_district_dashboard_from_the_nav(cast):
    register(cast, phone="13857000051")  # something to count this year
    client = cast.client("putuo_leader")
    home = client.get("/home/")
    assert 'href="/stats/"' in home.content.decode() and 'id="stats-tile"' in home.content.decode()
    response = client.get("/stats/", follow=True)
    assert response.redirect_chain[-1][0] == "/stats/330903/"
    page = response.content.decode()
    figures = get_case_figures("330903", dt.date(today().year, 1, 1), today())
    assert figures["received"] >= 1
    assert re.search(rf'id="received"[^>]*><strong>{figures["received"]}</strong>', page)
    assert "<svg" in page and "普陀区" in page


def test_a_town_links_down_to_its_villages_and_its_cases(cast):
    client = cast.client("putuo_leader")
    page = client.get(f"/stats/330903/?{this_year()}").content.decode()
    assert f'href="/stats/330903100/?{this_year().replace("&", "&amp;")}"' in page  # 六横镇
    town = client.get(f"/stats/330903100/?{this_year()}").content.decode()
    assert "六横镇" in town and "/stats/330903100" in town
    assert re.search(r'href="/stats/330903100\d{3}/\?', town)  # its villages
    assert "/cases/?queue=all" in town and "received_from=" in town
    assert 'href="/stats/330903/?' in town  # breadcrumb back up


def test_every_table_exports_to_a_report_like_workbook(cast):
    client = cast.client("putuo_leader")
    for key in ("areas", "types", "channels", "tiers", "outcomes", "problems"):
        response = client.get(f"/stats/330903/{key}.xlsx?{this_year()}")
        assert response.status_code == 200, key
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert "普陀区" in sheet["A1"].value
        assert f"{today().year}-01-01" in sheet["A2"].value and "单位" in sheet["A3"].value
        assert sheet.cell(row=5, column=1).value  # header row
    assert client.get(f"/stats/330903/nonsense.xlsx?{this_year()}").status_code == 404


def test_the_monthly_report_is_a_pdf(cast):
    response = cast.client("putuo_leader").get(f"/stats/330903/month/{today().year}-{today().month}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_outside_the_grant_is_not_found(cast):
    leader = cast.client("putuo_leader")
    for url in ("/stats/33/", "/stats/3309/", "/stats/33/areas.xlsx", f"/stats/33/month/{today().year}-1.pdf"):
        assert_not_found_for(leader, url)
    clerk = cast.client("liuheng_clerk")
    assert_not_found_for(clerk, "/stats/")
    assert_not_found_for(clerk, "/stats/330903100/")
    assert 'href="/stats/"' not in clerk.get("/home/").content.decode()


def test_bad_dates_are_400_with_a_message(cast):
    response = cast.client("putuo_leader").get("/stats/330903/?start=2026-02-30")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get("/stats/330903/").status_code == 302


def test_the_dashboard_reads_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    """The page reads the aggregates with a fixed number of queries, whatever the number of rows or of
    areas below (no query per village)."""
    client = cast.client("putuo_leader")
    client.get(f"/stats/330903100/?{this_year()}")  # warm the per-process caches (content types, sessions)
    # 30 of the page's own, and the cards other apps register on it (co-building, the banks) a few each.
    with django_assert_max_num_queries(40):
        assert client.get(f"/stats/330903100/?{this_year()}").status_code == 200
    api = cast.api("putuo_leader")
    api.get(f"/api/v1/stats/cases/?area=330903&{this_year()}")
    with django_assert_max_num_queries(12):
        assert api.get(f"/api/v1/stats/cases/?area=330903&{this_year()}").status_code == 200


def test_an_unknown_area_is_400_on_the_dashboard_and_the_monthly_report_alike(cast):
    leader = cast.client("putuo_leader")
    assert leader.get("/stats/330903999/").status_code == 400
    assert leader.get(f"/stats/330903999/month/{today().year}-1.pdf").status_code == 400
