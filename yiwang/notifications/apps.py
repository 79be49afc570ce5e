from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.notifications.permissions import PERMISSIONS


class NotificationsConfig(AppConfig):
    name = "yiwang.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.notifications import extensions

        extensions.register()
