from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "yiwang.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from yiwang.stats import extensions

        extensions.register()
