"""The jobs' verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "core.job_started": _("Background job started"),
    "core.job_result_read": _("Background job's result downloaded"),
}
