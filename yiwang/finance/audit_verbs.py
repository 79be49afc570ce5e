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
}
