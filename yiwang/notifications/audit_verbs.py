"""The notifications' verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "notifications.followed": _("Started following"),
    "notifications.unfollowed": _("Stopped following"),
    "notifications.status_lookup": _("Case status looked up by phone"),
}
