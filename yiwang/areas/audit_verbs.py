"""The division and master-data verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "areas.divisions_loaded": _("Division codes loaded"),
}
