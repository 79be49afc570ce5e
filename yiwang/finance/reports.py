"""The row report of a batch as a workbook: the bank's own rows in its own columns, with 处理结果 and
错误说明, in file order. Corrected, it can be submitted again as it is (the two columns are ignored)."""

import io

from yiwang.finance import rows as R
from yiwang.finance.models import Batch, RowOutcome

OUTCOME_LABELS = {RowOutcome.ACCEPTED: "已受理", RowOutcome.REJECTED: "退回", RowOutcome.DUPLICATE: "重复"}


def get_row_report(batch: Batch) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("处理结果")
    sheet.append([*R.HEADERS, R.OUTCOME_COLUMN, R.REPORT_COLUMN])
    rows = batch.rows.order_by("line").values_list("values", "outcome", "errors", "flags", "case__number")
    for values, outcome, errors, flags, number in rows.iterator(chunk_size=5000):
        explanation = R.row_message([(e.get("column", ""), e.get("message", "")) for e in errors])
        if flags:
            explanation = "；".join([explanation, *flags] if explanation else flags)
        label = OUTCOME_LABELS.get(outcome, outcome) + (f" {number}" if number else "")
        sheet.append([values.get(h, "") for h in R.HEADERS] + [label, explanation])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
