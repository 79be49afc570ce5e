from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from yiwang.accounts.permissions import PERMISSIONS
from yiwang.core.permissions import register_permissions


class AccountsConfig(AppConfig):
    name = "yiwang.accounts"
    label = "accounts"
    verbose_name = _("Accounts and grants")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.accounts.checks import check_roles

        checks.register(check_roles, checks.Tags.database)

        from django.contrib.auth.signals import user_logged_in

        from yiwang.accounts.twofactor import note_device_at_login

        user_logged_in.connect(note_device_at_login, dispatch_uid="yiwang.accounts.two_factor")
