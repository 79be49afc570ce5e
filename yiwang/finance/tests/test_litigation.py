"""Mediation failed → litigation: the batch's ended cases referred to the court through the cases app's
own action, per case a 要素式 statement of claim and an evidence list as PDF (read back with pdftotext),
the batch's filing package (ZIP, one folder per case, a manifest) built as a job, and the court's 案号
recorded back in bulk (CSV or API), a bad row refused with its reason and nothing changed."""

import csv
import io
import subprocess
import zipfile

import pytest

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases.models import Case, Referral
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.core.models import Job
from yiwang.finance import actions
from yiwang.finance.models import BankCase
from yiwang.finance.tests.helpers import bank_case_at, upload


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())  # table cells wrap: compare without the line breaks


@pytest.fixture
def court(cast):
    return Organisation.objects.get(kind=OrganisationKind.COURT, name="舟山市普陀区人民法院")


@pytest.fixture
def ended(cast):
    """Two cases of one batch whose mediation ended without agreement."""
    first = bank_case_at("terminated", prefix="LIT", count=2)
    return first.bank_case.batch


def test_ended_cases_are_referred_and_the_papers_read_back(cast, ended, court, tmp_path):
    with pytest.raises(PermissionRefused):
        actions.do_refer_to_court(ended, by=cast.bank_operator, court=court)
    referred, refused = actions.do_refer_to_court(ended, by=cast.putuo_staff, court=court)
    assert (len(referred), refused) == (2, [])
    assert set(Case.objects.filter(bank_case__batch=ended).values_list("status", flat=True)) == {"referred"}
    bank_case = BankCase.objects.filter(batch=ended).order_by("case_id").first()
    # The bank's operator downloads the papers from the case; another bank's operator gets a 404.
    response = cast.client("bank_operator").get(f"/finance/cases/{bank_case.case_id}/complaint.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert cast.client("icbc_operator").get(f"/finance/cases/{bank_case.case_id}/complaint.pdf").status_code == 404
    text = _text(response.content, tmp_path)
    borrower = bank_case.case.parties.get(role="respondent")
    for expected in ("民事起诉状", "浙江普陀农村商业银行", borrower.name, borrower.id_number,
                     f"{bank_case.outstanding_principal}元", bank_case.case.number, "舟山市普陀区人民法院"):
        assert expected in text, expected
    evidence = _text(actions.render_evidence_list(bank_case), tmp_path)
    assert "证据清单" in evidence and "人民调解终止记录" in evidence


def test_the_filing_package_has_a_folder_per_case_and_a_manifest(cast, ended, court,
                                                                 django_capture_on_commit_callbacks):
    actions.do_refer_to_court(ended, by=cast.putuo_staff, court=court)
    client = cast.client("putuo_staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/finance/batches/{ended.pk}/filing")
    job = Job.objects.get(kind="finance.filing")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.status == "succeeded"
    package = zipfile.ZipFile(io.BytesIO(client.get(f"/jobs/{job.pk}/result").getvalue()))
    numbers = sorted(Case.objects.filter(bank_case__batch=ended).values_list("number", flat=True))
    assert sorted(package.namelist()) == sorted(
        ["manifest.csv"] + [f"{n}/{doc}" for n in numbers for doc in ("起诉状.pdf", "证据清单.pdf")])
    manifest = list(csv.reader(io.StringIO(package.read("manifest.csv").decode("utf-8-sig"))))
    assert manifest[0][:3] == ["序号", "调解案号", "银行业务编号"] and sorted(r[1] for r in manifest[1:]) == numbers


def test_the_court_records_its_case_numbers_in_bulk(cast, ended, court):
    actions.do_refer_to_court(ended, by=cast.putuo_staff, court=court)
    first, second = Case.objects.filter(bank_case__batch=ended).order_by("pk")
    data = ("案件编号,案号\n"
            f"{first.number},（2026）浙0903民初1234号\n"
            f"{second.number},2026-1234\n"
            "PT-2026-999999,（2026）浙0903民初1235号\n").encode("gb18030")
    result = actions.do_upload_court_numbers(by=cast.court_liaison, file=upload(data, "案号.csv"))
    assert (result.recorded, result.refused) == (1, 2)
    assert [r["ok"] for r in result.report] == [True, False, False] and all(r["message"] for r in result.report[1:])
    assert Referral.objects.get(case=first).external_number == "（2026）浙0903民初1234号"
    assert Referral.objects.get(case=second).external_number == ""
    # The API takes JSON rows keyed by the bank's reference too; another bank's operator may not.
    api = cast.api("court_liaison")
    body = api.post("/api/v1/finance/court-numbers/", {"rows": [
        {"银行业务编号": second.bank_case.reference, "案号": "（2026）浙0903民初1236号"}]}, format="json").json()
    assert body["recorded"] == 1 and Referral.objects.get(case=second).external_number.endswith("1236号")
    with pytest.raises(InputError):
        actions.do_upload_court_numbers(by=cast.court_liaison, file=upload(b"a,b\n1,2\n", "x.csv"))
    assert cast.client("bank_operator").get("/finance/court-numbers/").status_code == 404
