"""Triage's verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "triage.retrained": _("Triage model retrained"),
}
