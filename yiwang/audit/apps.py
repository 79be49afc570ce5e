from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.audit.permissions import PERMISSIONS
from yiwang.core.permissions import register_permissions


class AuditConfig(AppConfig):
    name = "yiwang.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.audit import maintenance

        maintenance.connect()  # the SQL function the SQLite DELETE trigger calls
        from yiwang.audit import signals  # noqa: F401
        from yiwang.audit.actions import record
        from yiwang.core import audit as core_audit

        core_audit.set_recorder(record)  # core audits (jobs) without importing this app
