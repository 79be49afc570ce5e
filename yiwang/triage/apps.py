from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.triage.permissions import PERMISSIONS


class TriageConfig(AppConfig):
    name = "yiwang.triage"
    label = "triage"
    verbose_name = _("Triage and recommendation")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.triage import extensions

        extensions.register()
