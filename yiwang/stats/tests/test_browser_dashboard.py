"""In a real browser: a leader opens the district dashboard, drills down to 六横镇, exports the table,
and the workbook holds the same numbers as the page."""

import io

import pytest
from openpyxl import load_workbook

from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def page_rows(page, key: str) -> list[list[str]]:
    return page.locator(f"#table-{key} tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def workbook_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = []
    for row in sheet.iter_rows(min_row=6):
        if row[0].value is None or str(row[0].value).startswith("制表单位"):
            break
        rows.append(["—" if c.value is None else f"{c.value:.2f}%" if "%" in c.number_format else str(c.value)
                     for c in row])
    return rows


def test_a_leader_drills_down_to_liuheng_and_exports_the_table(demo_tx, page):
    sign_in(page, "putuo_leader")
    page.click("header nav >> text=统计分析")
    page.wait_for_url("**/stats/330903/")
    assert "普陀区" in page.locator("#area-name").inner_text()
    assert page.locator("svg.chart").count() >= 1
    district = page_rows(page, "areas")
    liuheng_on_district = next(r for r in district if r[0] == "六横镇")

    page.click("#table-areas >> text=六横镇")
    page.wait_for_url("**/stats/330903100/**")
    assert "六横镇" in page.locator("#area-name").inner_text()
    rows = page_rows(page, "areas")
    assert rows[-1][0] == "合计" and rows[-1][1:] == liuheng_on_district[1:]  # the town's total is its district row
    assert len(rows) > 2  # its villages

    with page.expect_download() as download:
        page.click("#table-areas a.export")
    content = open(download.value.path(), "rb").read()
    assert workbook_rows(content) == rows
    sheet = load_workbook(io.BytesIO(content)).active
    assert "六横镇" in sheet["A1"].value and "制表日期" in sheet["A3"].value
    page.screenshot(path="/tmp/yiwang_stats_liuheng.png", full_page=True)
