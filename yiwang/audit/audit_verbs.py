"""The audit log's own verbs: signing in and out, and edits in the admin site (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.locked_out": _("Locked out after failed sign-ins"),
    "auth.token_issued": _("API token issued"),
    "auth.password_changed": _("Password changed"),
    "admin.add": _("Added in the admin site"),
    "admin.change": _("Changed in the admin site"),
    "admin.delete": _("Deleted in the admin site"),
}
