"""In a real browser: a bank's operator uploads a file with some bad rows, watches the batch to its end,
downloads the row report, corrects it, uploads it again, and sees only the corrected rows added."""

import io

import pytest
from openpyxl import load_workbook

from yiwang.finance.tests.helpers import good_rows, xlsx
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser


def test_an_operator_corrects_a_batch_from_its_row_report(demo_tx, page, tmp_path):
    rows = good_rows(6, prefix="BROWSER")
    rows[2]["借款人身份证号码"] = "330903199001011235"
    rows[4]["欠款本金"] = "-5"
    first = tmp_path / "batch.xlsx"
    first.write_bytes(xlsx(rows))

    sign_in(page, "bank_operator")
    page.click("#finance-tile")
    page.wait_for_url("**/finance/")
    page.set_input_files("input[name=file]", str(first))
    page.click("#submit-batch")
    page.wait_for_url("**/finance/batches/*/")
    page.wait_for_selector("#batch-status[data-status=done]", timeout=60_000)
    assert page.locator("#batch-accepted").inner_text() == "4"
    assert page.locator("#batch-rejected").inner_text() == "2"
    assert "借款人身份证号码" in page.locator("#batch-problems").inner_text()

    with page.expect_download() as download:
        page.click("#batch-report")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明"
    sheet.cell(4, header.index("借款人身份证号码") + 1, rows[0]["借款人身份证号码"])
    sheet.cell(6, header.index("欠款本金") + 1, "5.00")
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)

    page.goto(page.url.rsplit("/finance/", 1)[0] + "/finance/")
    page.set_input_files("input[name=file]", str(fixed))
    page.click("#submit-batch")
    page.wait_for_url("**/finance/batches/*/")
    page.wait_for_selector("#batch-status[data-status=done]", timeout=60_000)
    assert page.locator("#batch-accepted").inner_text() == "2"
    assert page.locator("#batch-rejected").inner_text() == "0"
    assert page.locator("#batch-duplicates").inner_text() == "4"
