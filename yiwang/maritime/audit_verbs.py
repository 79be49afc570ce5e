"""The sea's verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "maritime.case_registered": _("Maritime dispute registered"),
    "maritime.details_recorded": _("Maritime details recorded"),
    "maritime.marked_major": _("Maritime dispute marked major"),
    "maritime.vessel_registered": _("Vessel registered"),
    "maritime.vessels_imported": _("Vessels imported"),
    "maritime.crew_added": _("Crew member added"),
    "maritime.pii_viewed": _("Vessel: personal information shown in full"),
    "maritime.pii_read": _("Vessel: personal information read in full through the API"),
    "maritime.task_given": _("Task given to a maritime agency"),
    "maritime.task_done": _("Maritime agency's task done"),
    "maritime.service_attached": _("Maritime service attached"),
    "maritime.service_ended": _("Maritime service ended"),
    "maritime.vessel_updated": _("Vessel's entry corrected"),
    "maritime.position_recorded": _("Vessel position recorded"),
    "maritime.sea_session_scheduled": _("Session at sea scheduled"),
    "maritime.sea_session_recorded": _("Session at sea recorded"),
}
