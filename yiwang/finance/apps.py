from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.finance.permissions import PERMISSIONS


class FinanceConfig(AppConfig):
    name = "yiwang.finance"
    label = "finance"
    verbose_name = _("Financial disputes")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.finance import (
            extensions,
            jobs,  # noqa: F401  (job kinds)
        )

        extensions.register()
