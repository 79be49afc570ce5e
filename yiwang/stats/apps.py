from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.stats.permissions import PERMISSIONS


class StatsConfig(AppConfig):
    name = "yiwang.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.stats import (
            extensions,
            jobs,  # noqa: F401  (job kinds)
        )

        extensions.register()
