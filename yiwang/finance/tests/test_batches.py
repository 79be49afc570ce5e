"""A bank's bulk submission: the template round trip, every validation rule (a bad row saves nothing of
itself), duplicates inside a file, across files and across a retried request, wrong headers, GB18030."""

import io

import pytest
from django.db import transaction

from yiwang.cases.models import Case, CaseEvent, Channel, Party
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.finance import rows as R
from yiwang.finance.models import BankCase, Batch, BatchRow, BatchStatus, RowOutcome
from yiwang.finance.reports import get_row_report
from yiwang.finance.tests.helpers import bank_of, csv_bytes, good_rows, submit, upload, xlsx


def test_the_template_has_the_issues_headers_and_reads_back(cast):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(R.get_template()))
    assert [c.value for c in book.active[1]] == [
        "银行业务编号", "纠纷类型", "借款人姓名", "借款人身份证号码", "借款人手机号码", "借款人住址", "区划代码", "合同编号",
        "借款本金", "欠款本金", "欠款利息", "违约金及其他费用", "逾期起始日期", "年利率", "担保方式", "诉求"]
    rows = R.read_file(R.get_template())
    assert len(rows) == 1 and rows[0][0] == 2 and rows[0][1]["借款人身份证号码"] == "330903199001011234"


def test_a_batch_becomes_cases_of_the_bank_routed_to_the_financial_desk(cast):
    from yiwang.finance.models import Desk

    batch = submit(cast.bank_operator, file=upload(xlsx(good_rows(5)), "batch.xlsx"))
    assert (batch.status, batch.total, batch.accepted, batch.rejected, batch.duplicates) == ("done", 5, 5, 0, 0)
    desk = Desk.objects.get()
    cases = Case.objects.filter(bank_case__batch=batch)
    assert cases.count() == 5
    for case in cases:
        assert case.channel == Channel.BANK and case.visits == 0
        assert case.window == desk.window and case.team == desk.team
        assert case.submitted_by_organisation == bank_of().organisation
        assert case.parties.count() == 2
        assert case.events.get().kind == "registered"
        assert case.invariant_errors() == []
    assert Case.objects.visible_to(cast.bank_operator).filter(bank_case__batch=batch).count() == 5


def _one(row_change: dict, cast, *, prefix="BAD"):
    rows = good_rows(1, prefix=prefix)
    rows[0].update(row_change)
    before = (Case.objects.count(), Party.objects.count(), BankCase.objects.count(), CaseEvent.objects.count())
    batch = submit(cast.bank_operator, rows=rows)
    row = batch.rows.get()
    return batch, row, before


@pytest.mark.parametrize("change, column", [
    ({"借款人身份证号码": "330903199001011235"}, "借款人身份证号码"),  # wrong check character
    ({"借款人身份证号码": "33090319900230123X"}, "借款人身份证号码"),  # 30 February
    ({"借款人身份证号码": "33090321000101123X"}, "借款人身份证号码"),  # born in the future
    ({"借款人手机号码": "12345678901"}, "借款人手机号码"),
    ({"逾期起始日期": "2999-01-01"}, "逾期起始日期"),
    ({"逾期起始日期": "昨天"}, "逾期起始日期"),
    ({"纠纷类型": "金融借款合同纠纷", "借款本金": "1000.00", "欠款本金": "1000.01"}, "欠款本金"),
    ({"纠纷类型": "保险纠纷"}, "纠纷类型"),
    ({"借款人姓名": ""}, "借款人姓名"),
    ({"诉求": ""}, "诉求"),
    ({"欠款本金": "-1"}, "欠款本金"),
    ({"欠款利息": "1.234"}, "欠款利息"),
    ({"担保方式": "信用"}, "担保方式"),
    ({"区划代码": "110101"}, "区划代码"),
    ({"纠纷类型": "金融借款合同纠纷", "借款本金": ""}, "借款本金"),
])
def test_every_rule_rejects_the_row_naming_the_cell_and_saves_nothing(cast, change, column):
    batch, row, before = _one(change, cast)
    assert row.outcome == RowOutcome.REJECTED and batch.rejected == 1 and batch.accepted == 0
    assert column in [e["column"] for e in row.errors], row.errors
    assert (Case.objects.count(), Party.objects.count(), BankCase.objects.count(), CaseEvent.objects.count()) == before


def test_a_rate_above_the_cap_is_accepted_and_flagged(cast):
    batch, row, _before = _one({"年利率": "36"}, cast)
    assert row.outcome == RowOutcome.ACCEPTED and row.flags and batch.flagged == 1
    assert BankCase.objects.get(case=row.case).rate_flagged


def test_wrong_headers_refuse_the_whole_file_naming_them(cast):
    headers = [h if h != "借款人手机号码" else "手机" for h in R.HEADERS]
    with pytest.raises(InputError) as refused:
        submit(cast.bank_operator, file=upload(csv_bytes(good_rows(2), headers=headers), "b.csv"))
    text = refused.value.detail
    assert "手机" in text and "借款人手机号码" in text
    assert not Batch.objects.exists()


def test_an_unknown_key_refuses_a_json_batch(cast):
    rows = good_rows(1)
    rows[0]["备注"] = "x"
    with pytest.raises(InputError) as refused:
        submit(cast.bank_operator, rows=rows)
    assert "备注" in refused.value.detail


def test_a_gb18030_csv_is_read(cast):
    batch = submit(cast.bank_operator, file=upload(csv_bytes(good_rows(3, prefix="GB"), encoding="gb18030"), "b.csv"))
    assert batch.accepted == 3
    assert BankCase.objects.filter(reference="GB-000001").get().case.parties.get(role="respondent").name == \
        good_rows(3, prefix="GB")[0]["借款人姓名"]


def test_a_file_that_is_no_spreadsheet_is_refused(cast):
    with pytest.raises(InputError):
        submit(cast.bank_operator, file=upload(b"%PDF-1.4 nothing", "b.csv"))


def test_duplicates_inside_a_file_across_files_and_a_retried_request(cast):
    rows = good_rows(4, prefix="DUP")
    rows.append(dict(rows[0]))  # the same reference again inside the file
    first = submit(cast.bank_operator, rows=rows, key="req-1")
    assert (first.accepted, first.duplicates) == (4, 1)
    assert first.rows.get(line=5).outcome == RowOutcome.DUPLICATE
    cases = Case.objects.count()
    again = submit(cast.bank_operator, rows=rows, key="req-1")  # a retried request: the same batch
    assert again.pk == first.pk and Case.objects.count() == cases
    second = submit(cast.bank_operator, rows=rows)  # the same file submitted again: nothing added
    assert (second.accepted, second.duplicates) == (0, 5) and Case.objects.count() == cases


def test_a_corrected_file_adds_only_the_rows_rejected_before(cast):
    rows = good_rows(6, prefix="FIX")
    rows[1]["借款人手机号码"] = "123"
    rows[4]["逾期起始日期"] = "2999-12-31"
    first = submit(cast.bank_operator, file=upload(xlsx(rows), "b.xlsx"))
    assert (first.accepted, first.rejected) == (4, 2)
    # The bank corrects the row report itself and submits it again (its 处理结果/错误说明 columns are ignored).
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(get_row_report(first)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "错误说明" and "借款人手机号码" in sheet.cell(3, len(header)).value
    sheet.cell(3, header.index("借款人手机号码") + 1, "13905801234")
    sheet.cell(6, header.index("逾期起始日期") + 1, "2025-12-31")
    buffer = io.BytesIO()
    book.save(buffer)
    second = submit(cast.bank_operator, file=upload(buffer.getvalue(), "fixed.xlsx"))
    assert (second.accepted, second.rejected, second.duplicates) == (2, 0, 4)
    assert set(second.rows.filter(outcome="accepted").values_list("line", flat=True)) == {3, 6}


def test_only_a_banks_operator_submits(cast):
    with pytest.raises(PermissionRefused):
        submit(cast.liuheng_clerk, rows=good_rows(1))


def test_numbers_are_gap_free_after_a_batch_and_one_by_one_registration(cast):
    from yiwang.testing import factories as f

    submit(cast.bank_operator, rows=good_rows(7, prefix="NUM"))
    f.register_case(by="bank_operator", channel="bank", area=f.village("330903001"), dispute_type="financial")
    numbers = sorted(Case.objects.filter(registered_centre__code="PT").values_list("number", flat=True))
    sequences = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert sequences == list(range(1, len(sequences) + 1))


def test_a_failing_chunk_saves_nothing_of_it(cast, monkeypatch):
    from yiwang.finance import actions

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "insert_rows", boom)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            submit(cast.bank_operator, rows=good_rows(3, prefix="ERR"))
    assert not Case.objects.exists() and not BatchRow.objects.exists()


def test_the_batch_job_reports_progress(cast, django_capture_on_commit_callbacks):
    from yiwang.finance.actions import do_submit_batch

    with django_capture_on_commit_callbacks(execute=True):
        batch = do_submit_batch(by=cast.bank_operator, rows=good_rows(3, prefix="JOB"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.job.status == "succeeded"
    assert (batch.job.done, batch.job.total) == (3, 3)


def test_a_row_with_several_bad_cells_names_each(cast):
    batch, row, before = _one({"借款人手机号码": "123", "逾期起始日期": "2999-01-01", "借款人身份证号码": "1"}, cast)
    assert {e["column"] for e in row.errors} == {"借款人手机号码", "逾期起始日期", "借款人身份证号码"}
    assert Case.objects.count() == before[0]
