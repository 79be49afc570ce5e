from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.grids.permissions import PERMISSIONS


class GridsConfig(AppConfig):
    name = "yiwang.grids"
    label = "grids"
    verbose_name = _("Grids")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.grids import extensions

        extensions.register()
