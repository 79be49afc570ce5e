"""The permission codes the audit app declares (registered in `AuditConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "audit.view": _("Read the audit log"),
}
