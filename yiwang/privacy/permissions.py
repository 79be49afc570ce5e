"""The permission code the privacy app declares (registered in `PrivacyConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "pii.request": _("Handle personal-data requests (export, correct)"),
}
