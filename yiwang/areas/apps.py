from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.areas.permissions import PERMISSIONS
from yiwang.core.permissions import register_permissions


class AreasConfig(AppConfig):
    name = "yiwang.areas"
    label = "areas"
    verbose_name = _("Areas and organisations")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
