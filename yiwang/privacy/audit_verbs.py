"""The privacy app's audit verbs (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "privacy.searched": _("Personal data looked up for a request"),
    "privacy.exported": _("Personal data exported on request"),
    "privacy.corrected": _("Personal data corrected on request"),
    "privacy.anonymised": _("Archived case anonymised (retention)"),
}
