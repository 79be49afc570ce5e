from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "yiwang.online"
    label = "online"
    verbose_name = _("Online dispute resolution")

    def ready(self):
        from yiwang.online import extensions

        extensions.register()
