"""The accounts app's audit verbs (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "accounts.user_deactivated": _("Account deactivated"),
}
