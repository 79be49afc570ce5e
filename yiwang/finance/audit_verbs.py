"""The banks' verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "finance.batch_submitted": _("Bank batch submitted"),
    "finance.batch_processed": _("Bank batch processed"),
    "finance.batch_report_read": _("Bank batch's row report downloaded"),
    "finance.key_created": _("Bank API key created"),
    "finance.key_rotated": _("Bank API key rotated"),
    "finance.key_revoked": _("Bank API key revoked"),
    "finance.key_used": _("Bank API key used"),
    "finance.allocation_started": _("Bank cases' assignment started"),
    "finance.allocation_processed": _("Bank cases assigned"),
    "finance.borrowers_told": _("Borrowers sent their links"),
    "finance.borrower_answered": _("A borrower answered online"),
    "finance.plan_set": _("Repayment plan set"),
    "finance.payment_recorded": _("Repayment recorded"),
    "finance.litigation_papers_read": _("Litigation papers downloaded"),
    "finance.filing_package_started": _("Court filing package started"),
    "finance.court_numbers_uploaded": _("Court case numbers uploaded"),
}
