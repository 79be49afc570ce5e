from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions


class CobuildConfig(AppConfig):
    name = "yiwang.cobuild"
    label = "cobuild"
    verbose_name = _("Co-building")

    def ready(self):
        from yiwang.cobuild import extensions
        from yiwang.cobuild.permissions import PERMISSIONS

        register_permissions(self.label, PERMISSIONS)
        extensions.register()
