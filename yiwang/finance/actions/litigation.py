"""Mediation failed or the borrower refused: the case goes to litigation.

    get_litigation_cases(batch) → BankCase queryset   the batch's cases ended without agreement or referred
                                                      to litigation
    do_refer_to_court(batch, *, by, court) → (referred, refused)   each ended case of the batch referred to
        the court through the cases app's own do_refer (kind litigation), one transaction per case; a
        refusal is reported per case
    render_complaint(bank_case) → bytes        the 要素式 statement of claim (起诉状) as PDF
    render_evidence_list(bank_case) → bytes    its evidence list (证据清单) as PDF
    do_start_filing_package(batch, *, by) → Job    the job `finance.filing` builds the batch's filing ZIP
        (one folder per case with both PDFs, and manifest.csv) for the court's bulk filing; the starter
        downloads it from the job's page
    do_upload_court_numbers(*, by, file=None, rows=None) → CourtNumberUpload
        the court's liaison records the 案号 back in bulk (CSV with 案件编号 or 银行业务编号, and 案号; or
        JSON rows with those keys), each through the cases app's do_record_referral_result; a row refused
        says why and changes nothing
The documents are court papers: always in Chinese, whatever the reader's interface language."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, ReferralKind, Status
from yiwang.core import audit, uploads
from yiwang.core.errors import ActionRefused, InputError, PermissionRefused
from yiwang.core.jobs import start_job
from yiwang.documents import render_pdf
from yiwang.finance.actions.allocation import check_may_route
from yiwang.finance.models import BankCase, Batch, CourtNumberUpload

COURT_NUMBER = re.compile(r"^[（(]\d{4}[）)][\u4e00-\u9fff]\d{4}[\u4e00-\u9fff]{1,4}\d{1,6}号$")
NUMBER_HEADERS = ("案件编号", "银行业务编号", "案号")
MAX_NUMBER_ROWS = 20000


def get_litigation_cases(batch: Batch):
    litigation = Q(case__status=Status.TERMINATED) | Q(
        case__status__in=(Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED),
        case__referrals__kind=ReferralKind.LITIGATION)
    return (BankCase.objects.filter(batch=batch).filter(litigation).distinct()
            .select_related("case__area", "bank__organisation").order_by("case_id"))


def do_refer_to_court(batch: Batch, *, by, court) -> tuple[list, list]:
    """Refer each case of the batch whose mediation ended without agreement to `court`."""
    check_may_route(by, batch.bank)
    referred, refused = [], []
    for bank_case in BankCase.objects.filter(batch=batch, case__status=Status.TERMINATED).select_related("case"):
        try:
            with transaction.atomic():
                case_actions.do_refer(bank_case.case, by=by, kind=ReferralKind.LITIGATION, body=court,
                                      note=_("Referred with the bank's batch #%(pk)s.") % {"pk": batch.pk})
        except ActionRefused as error:
            refused.append((bank_case.case, " ".join(str(m) for m in error.messages)))
        else:
            referred.append(bank_case.case)
    return referred, refused


# ----------------------------------------------------------------------------------------------- documents


def _context(bank_case: BankCase) -> dict:
    case = bank_case.case
    borrower = case.parties.filter(role="respondent").first()
    referral = case.referrals.filter(kind=ReferralKind.LITIGATION).order_by("-referred_at").first()
    evidence = [
        ("借款合同" if bank_case.kind == "loan" else "信用卡领用合约及申请表",
         f"合同编号{bank_case.contract_number}" if bank_case.contract_number else "", "证明双方之间的借贷关系及约定"),
        ("借款借据／放款凭证" if bank_case.kind == "loan" else "信用卡交易明细", "", "证明原告已履行出借义务"),
        ("还款明细及欠款计算表", "", f"证明截至起诉之日被告尚欠本金{bank_case.outstanding_principal}元、"
                             f"利息{bank_case.interest}元、违约金及其他费用{bank_case.penalty}元"),
        ("催收记录", "", "证明原告已依约催收"),
        ("被告身份信息", "", "证明被告的诉讼主体资格"),
        ("人民调解终止记录", f"调解案号{case.number}", "证明本案已经诉前调解，调解未成"),
    ]
    if bank_case.guarantee != "none":
        evidence.insert(2, (f"{bank_case.get_guarantee_display()}合同", "", "证明担保关系"))
    return {"bank_case": bank_case, "case": case, "bank": bank_case.bank, "borrower": borrower,
            "court": referral.body.name if referral else "舟山市普陀区人民法院", "evidence": evidence,
            "today": timezone.localdate()}


def render_complaint(bank_case: BankCase) -> bytes:
    return render_pdf("finance/documents/complaint.html", _context(bank_case))


def render_evidence_list(bank_case: BankCase) -> bytes:
    return render_pdf("finance/documents/evidence_list.html", _context(bank_case))


def build_filing_package(batch: Batch) -> bytes:
    """The ZIP: manifest.csv, then one folder per case (the centre's case number) with 起诉状.pdf and
    证据清单.pdf. Built in the worker (two PDFs per case)."""
    out = io.BytesIO()
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["序号", "调解案号", "银行业务编号", "纠纷类型", "被告", "诉讼标的额（元）", "文件夹"])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for n, bank_case in enumerate(get_litigation_cases(batch), start=1):
            folder = bank_case.case.number
            borrower = bank_case.case.parties.filter(role="respondent").first()
            writer.writerow([n, folder, bank_case.reference, bank_case.get_kind_display(),
                             borrower.name if borrower else "", bank_case.amount_owed, folder])
            package.writestr(f"{folder}/起诉状.pdf", render_complaint(bank_case))
            package.writestr(f"{folder}/证据清单.pdf", render_evidence_list(bank_case))
        package.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
    return out.getvalue()


def do_start_filing_package(batch: Batch, *, by):
    check_may_route(by, batch.bank)
    if not get_litigation_cases(batch).exists():
        raise InputError({"batch": _("No case of this batch is going to litigation.")})
    job = start_job("finance.filing", by=by, target=batch, area_code=batch.bank.organisation.area_id,
                    params={"batch": batch.pk})
    audit.record(by, "finance.filing_package_started", batch, area_code=batch.bank.organisation.area_id, job=job.pk)
    return job


# ----------------------------------------------------------------------------------------------- 案号 back


def _read_number_rows(data: bytes) -> list[dict]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError({"file": _("The file is neither UTF-8 nor GB18030 text.")})
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in reader.fieldnames or []]
    if "案号" not in headers or not ({"案件编号", "银行业务编号"} & set(headers)):
        raise InputError({"file": _("The file needs the columns 案号 and 案件编号 (or 银行业务编号).")})
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _find_case(by, row: dict):
    cases = Case.objects.visible_to(by, "case.view").filter(bank_case__isnull=False)
    if row.get("案件编号"):
        return cases.filter(number=row["案件编号"]).first()
    if row.get("银行业务编号"):
        found = list(cases.filter(bank_case__reference=row["银行业务编号"])[:2])
        return found[0] if len(found) == 1 else None
    return None


def do_upload_court_numbers(*, by, file=None, rows=None) -> CourtNumberUpload:
    """Record each row's 案号 on its case (the receiving court's number of the litigation referral)."""
    if not can_upload_court_numbers(by):
        raise PermissionRefused(_("Only the court's liaison or the centre records court case numbers."))
    if (file is None) == (rows is None):
        raise InputError({"file": _("Send a CSV file or a list of rows.")})
    if file is not None:
        if not getattr(file, "size", None):
            raise InputError({"file": _("Choose a file.")})
        if uploads.sniff(file) != uploads.TEXT:
            raise InputError({"file": _("Submit a CSV file (UTF-8 or GB18030).")})
        rows = _read_number_rows(file.read())
        name = (getattr(file, "name", "") or "")[:200]
    else:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError({"rows": _("Send a list of rows.")})
        rows = [{str(k).strip(): str(v or "").strip() for k, v in r.items()} for r in rows]
        name = "API"
    if len(rows) > MAX_NUMBER_ROWS:
        raise InputError({"file": _("At most %(n)s rows at once.") % {"n": MAX_NUMBER_ROWS}})
    report, recorded = [], 0
    for line, row in enumerate(rows, start=2 if file is not None else 1):
        number = row.get("案号", "").replace(" ", "")
        case = _find_case(by, row)
        entry = {"line": line, "case": getattr(case, "number", row.get("案件编号") or row.get("银行业务编号", "")),
                 "number": number, "ok": False, "message": ""}
        if case is None:
            entry["message"] = _("No referred bank case of yours with this number or reference.")
        elif not COURT_NUMBER.match(number):
            entry["message"] = _("A court case number reads like （2026）浙0903民初1234号.")
        else:
            try:
                with transaction.atomic():
                    case_actions.do_record_referral_result(case, by=by, external_number=number,
                                                           note=_("Recorded in bulk."))
            except ActionRefused as error:
                entry["message"] = " ".join(str(m) for m in error.messages)
            else:
                entry["ok"], recorded = True, recorded + 1
        report.append(entry)
    upload = CourtNumberUpload.objects.create(uploaded_by=by, uploaded_at=timezone.now(), name=name,
                                              recorded=recorded, refused=len(report) - recorded, report=report)
    audit.record(by, "finance.court_numbers_uploaded", upload, area_code="", recorded=recorded,
                 refused=len(report) - recorded)
    return upload


def can_upload_court_numbers(by) -> bool:
    from yiwang.core.scope import user_can

    return bool(getattr(by, "is_authenticated", False)) and (user_can(by, "case.court") or user_can(by, "case.refer"))
