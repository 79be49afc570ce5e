from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaritimeConfig(AppConfig):
    name = "yiwang.maritime"
    label = "maritime"
    verbose_name = _("Maritime disputes")

    def ready(self):
        from yiwang.core.permissions import register_permissions
        from yiwang.maritime import extensions
        from yiwang.maritime.permissions import PERMISSIONS

        register_permissions(self.label, PERMISSIONS)
        extensions.register()
