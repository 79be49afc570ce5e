"""Payments by file: a bank's operator (its own cases only) or the committee's staff upload the bank's
repayments as .xlsx or .csv (UTF-8 or GB18030), read by the batch upload's own reader (finance.rows).

    PAYMENT_HEADERS   银行业务编号, 还款金额, 还款日期, 还款流水号
    can_upload_payments(by) → bool
    do_upload_payments(*, by, file) → PaymentFileResult   each row through do_record_payment; a refused row
        says why and saves nothing; 还款流水号 is the retry-safe reference, so the same file again adds nothing
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.core.errors import ActionRefused, InputError, PermissionRefused
from yiwang.finance import rows as R
from yiwang.finance.models import BankCase, Payment, RepaymentPlan, is_centre_user

PAYMENT_HEADERS = ["银行业务编号", "还款金额", "还款日期", "还款流水号"]
MAX_PAYMENT_ROWS = 2000


@dataclass
class PaymentFileResult:
    name: str
    rows: list[dict] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r["outcome"] == outcome)

    @property
    def recorded(self) -> int:
        return self._count("recorded")

    @property
    def already(self) -> int:
        return self._count("already")

    @property
    def refused(self) -> int:
        return self._count("refused")

    def as_dict(self) -> dict:
        return {"name": self.name, "recorded": self.recorded, "already": self.already, "refused": self.refused,
                "rows": self.rows}


def _own_banks(by) -> list:
    from yiwang.finance.actions import get_submitting_banks

    return get_submitting_banks(by)


def can_upload_payments(by) -> bool:
    return bool(getattr(by, "is_authenticated", False)) and (is_centre_user(by, "case.route") or bool(_own_banks(by)))


def _cases_of(by):
    """The bank cases the uploader may report on: a bank's user only its own bank's, the committee's
    staff those they see (the routing check is do_record_payment's, per row)."""
    from yiwang.cases.models import Case

    visible = Case.objects.visible_to(by, "case.view").values("pk")
    cases = BankCase.objects.filter(case__in=visible).select_related("bank__organisation", "case")
    if is_centre_user(by, "case.route"):
        return cases
    return cases.filter(bank__in=_own_banks(by))


def do_upload_payments(*, by, file) -> PaymentFileResult:
    """Record each row's payment on its case's repayment plan; the file's headers are checked first."""
    from yiwang.finance.actions import _check_file
    from yiwang.finance.actions.repayment import do_record_payment

    if not can_upload_payments(by):
        raise PermissionRefused(_("Only a bank's operator or the committee's staff upload payments."))
    _check_file(file)
    rows = R.read_file(file.read(), PAYMENT_HEADERS, max_rows=MAX_PAYMENT_ROWS)
    result = PaymentFileResult(name=(getattr(file, "name", "") or "")[:200])
    cases = _cases_of(by)
    for line, row in rows:
        reference = row.get("银行业务编号", "")
        entry = {"line": line, "reference": reference, "amount": row.get("还款金额", ""),
                 "paid_on": row.get("还款日期", ""), "transaction": row.get("还款流水号", ""), "case": "",
                 "outcome": "refused", "message": ""}
        result.rows.append(entry)
        found = list(cases.filter(reference=reference)[:2]) if reference else []
        if len(found) != 1:
            entry["message"] = (_("Two banks' cases have this reference: ask the bank to upload it.") if found
                                else _("No bank case of yours with this reference."))
            continue
        bank_case = found[0]
        entry["case"] = bank_case.case.number
        plan = RepaymentPlan.objects.filter(case=bank_case.case).first()
        if plan is None:
            entry["message"] = _("This case has no repayment plan yet.")
            continue
        if not entry["transaction"]:
            entry["message"] = _("Give the payment's 还款流水号: it keeps a second upload from counting it twice.")
            continue
        already = Payment.objects.filter(plan=plan, reference=entry["transaction"][:60]).exists()
        try:
            with transaction.atomic():
                do_record_payment(plan, by=by, amount=entry["amount"], paid_on=entry["paid_on"],
                                  reference=entry["transaction"])
        except PermissionRefused:
            entry["message"] = _("No bank case of yours with this reference.")
        except (InputError, ActionRefused) as error:
            entry["message"] = " ".join(str(m) for m in error.messages)
        else:
            entry["outcome"] = "already" if already else "recorded"
    return result
