from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.cases.permissions import PERMISSIONS
from yiwang.core.permissions import register_permissions


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    label = "cases"
    verbose_name = _("Disputes")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.cases import extensions

        extensions.register()
