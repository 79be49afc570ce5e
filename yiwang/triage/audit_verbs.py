"""Triage's verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "triage.retrained": _("Triage model retrained"),
    "triage.profile_saved": _("Mediator's profile saved"),
    "triage.conflict_added": _("Mediator's conflict of interest recorded"),
    "triage.conflict_removed": _("Mediator's conflict of interest removed"),
    "triage.case_languages": _("Parties' languages recorded"),
    "triage.hotline_typed": _("12345 order typed by triage"),
}
