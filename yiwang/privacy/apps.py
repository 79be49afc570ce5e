from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.privacy.permissions import PERMISSIONS


class PrivacyConfig(AppConfig):
    name = "yiwang.privacy"
    label = "privacy"
    verbose_name = _("Personal data (PIPL)")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
