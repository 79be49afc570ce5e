"""What the financial desk's tests share: rows in the template's headers, files of them, and submitting
a batch and running its job as the worker would."""

from __future__ import annotations

import csv
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.finance import rows as R
from yiwang.finance.actions import do_submit_batch, process_batch
from yiwang.finance.demo import sample_rows
from yiwang.finance.models import Bank, Batch


def good_rows(count: int = 5, *, prefix: str = "T", seed: int = 1) -> list[dict]:
    rows = sample_rows(random.Random(seed), count, prefix=prefix)
    for row in rows:
        row["年利率"] = "12"  # below every cap: no flag unless a test wants one
    return rows


def xlsx(rows: list[dict], headers=None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    headers = headers or R.HEADERS
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8", headers=None) -> bytes:
    buffer = io.StringIO()
    headers = headers or R.HEADERS
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def bank_of(username: str = "bank_operator") -> Bank:
    from yiwang.finance.actions import get_submitting_banks
    from yiwang.testing.factories import user

    return get_submitting_banks(user(username))[0]


def submit(by, *, rows=None, file=None, key: str = "") -> Batch:
    """Submit and process at once (the worker's part), returning the batch as it ended."""
    batch = do_submit_batch(by=by, rows=rows, file=file, idempotency_key=key)
    if batch.just_created:
        process_batch(Batch.objects.get(pk=batch.pk))
    return Batch.objects.get(pk=batch.pk)


def bank_case_at(status: str, *, prefix: str = "FLOW", count: int = 1, by: str = "bank_operator"):
    """`count` cases of one batch of `by`'s bank walked to `status` by the cases app's actions (the
    centre's staff accept, mediator_wang mediates); returns the first case."""
    from yiwang.cases.models import Case
    from yiwang.testing import factories as f

    batch = submit(f.user(by), rows=good_rows(count, prefix=prefix))
    cases = [f.advance_case(case, status, clerk="putuo_staff")
             for case in Case.objects.filter(bank_case__batch=batch).order_by("pk")]
    return cases[0]
