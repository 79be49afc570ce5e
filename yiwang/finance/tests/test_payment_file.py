"""Payments by file: the bank's operator (its own cases only) or the committee's staff upload 银行业务编号,
还款金额, 还款日期, 还款流水号; each row is recorded through do_record_payment or refused with its reason,
saving nothing of that row; the same file again adds nothing; wrong headers refuse the whole file."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from yiwang.core.errors import InputError
from yiwang.finance import actions
from yiwang.finance.models import Payment, RepaymentPlan
from yiwang.finance.tests.helpers import bank_case_at, upload, xlsx

JAN = dt.date(2026, 1, 15)
HEADERS = ["银行业务编号", "还款金额", "还款日期", "还款流水号"]


def payments_csv(rows, *, encoding="utf-8", headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def planned(cast):
    """One agreed case of each bank, each with a plan of 3 × 1000 yuan."""
    ours = bank_case_at("agreed", prefix="PAYF")
    theirs = bank_case_at("agreed", prefix="PAYI", by="icbc_operator")
    for case in (ours, theirs):
        actions.do_set_plan(case, by=cast.mediator_wang, instalments=actions.make_instalments(Decimal(3000), 3, JAN))
    return ours, theirs


def test_a_bank_uploads_its_payments_and_a_second_upload_adds_nothing(cast, planned):
    ours, theirs = planned
    ref, other = ours.bank_case.reference, theirs.bank_case.reference
    rows = [[ref, "1200", "2026-02-01", "TX-1"], [ref, "300.5", "2026-02-03", "TX-2"],
            ["NO-SUCH", "100", "2026-02-01", "TX-3"], [other, "100", "2026-02-01", "TX-4"],
            [ref, "abc", "2026-02-01", "TX-5"], [ref, "100", "2099-01-01", "TX-6"], [ref, "100", "1.2.2026", "TX-7"],
            [ref, "5000", "2026-02-01", "TX-8"], [ref, "100", "2026-02-01", ""]]
    client = cast.client("bank_operator")
    page = client.post("/finance/payments/upload", {"file": upload(payments_csv(rows), "还款.csv")}).content.decode()
    assert 'id="payments-report"' in page and "2 条已记录" in page and "7 条被拒绝" in page
    plan = RepaymentPlan.objects.get(case=ours)
    assert plan.paid == Decimal("1500.50")
    assert sorted(Payment.objects.values_list("reference", flat=True)) == ["TX-1", "TX-2"]
    assert not Payment.objects.filter(plan__case=theirs).exists()
    # Another bank's case reads as an unknown reference: nothing says it exists.
    assert page.count("没有本方此业务编号的银行案件") == 2
    assert "Give" not in page and "yuan" not in page  # the per-row messages are in Chinese
    # Through the API the same file again: the two are already recorded, nothing is added.
    answer = cast.api("bank_operator").post("/api/v1/finance/payment-files/",
                                            {"file": upload(payments_csv(rows), "还款.csv")}, format="multipart")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["recorded"], body["already"], body["refused"]) == (0, 2, 7)
    assert [r["outcome"] for r in body["rows"][:4]] == ["already", "already", "refused", "refused"]
    assert body["rows"][3]["case"] == "" and body["rows"][5]["line"] == 7
    assert Payment.objects.count() == 2
    plan.refresh_from_db()
    assert plan.paid == Decimal("1500.50")


def test_gb18030_csv_and_xlsx_from_the_committees_staff(cast, planned):
    ours, theirs = planned
    data = payments_csv([[ours.bank_case.reference, "1000", "2026-02-01", "流水-甲"]], encoding="gb18030")
    result = actions.do_upload_payments(by=cast.putuo_staff, file=upload(data, "还款.csv"))
    assert (result.recorded, result.refused) == (1, 0)
    book = xlsx([{"银行业务编号": theirs.bank_case.reference, "还款金额": 250, "还款日期": dt.date(2026, 2, 2),
                  "还款流水号": "ICBC-1"}], headers=HEADERS)
    result = actions.do_upload_payments(by=cast.putuo_staff, file=upload(book, "payments.xlsx"))
    assert result.recorded == 1, result.rows
    assert RepaymentPlan.objects.get(case=theirs).paid == Decimal("250.00")
    assert Payment.objects.get(reference="流水-甲").plan.case == ours


def test_wrong_headers_refuse_the_whole_file_naming_them(cast, planned):
    ours, _theirs = planned
    data = payments_csv([[ours.bank_case.reference, "1000", "2026-02-01", "TX-1"]],
                        headers=["银行业务编号", "金额", "还款日期", "还款流水号"])
    with pytest.raises(InputError) as refused:
        actions.do_upload_payments(by=cast.bank_operator, file=upload(data, "还款.csv"))
    assert "金额" in str(refused.value) and "还款金额" in str(refused.value)
    page = cast.client("bank_operator").post("/finance/payments/upload", {"file": upload(data, "还款.csv")},
                                             follow=True).content.decode()
    assert "还款金额" in page and 'id="payments-report"' not in page
    answer = cast.api("bank_operator").post("/api/v1/finance/payment-files/", {"file": upload(data, "还款.csv")},
                                            format="multipart")
    assert answer.status_code == 400 and "还款金额" in answer.content.decode()
    assert not Payment.objects.exists()


def test_who_may_upload(cast, planned):
    assert cast.client("bank_operator").get("/finance/payments/upload").status_code == 200
    assert cast.client("putuo_staff").get("/finance/payments/upload").status_code == 200
    assert cast.client("mediator_wang").get("/finance/payments/upload").status_code == 404
    assert 'id="payments-upload-link"' in cast.client("bank_operator").get("/finance/").content.decode()


def test_a_banks_key_uploads_for_its_own_bank_only(cast, planned):
    from rest_framework.test import APIClient

    from yiwang.finance.tests.helpers import bank_of

    ours, theirs = planned
    _key, raw = actions.do_create_key(bank_of("bank_operator"), by=cast.putuo_staff, name="core banking")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bank-Key {raw}")
    data = payments_csv([[ours.bank_case.reference, "10", "2026-02-01", "K-1"],
                         [theirs.bank_case.reference, "10", "2026-02-01", "K-2"]])
    body = client.post("/api/v1/finance/payment-files/", {"file": upload(data, "p.csv")}, format="multipart").json()
    assert [r["outcome"] for r in body["rows"]] == ["recorded", "refused"]
    assert list(Payment.objects.values_list("reference", flat=True)) == ["K-1"]
