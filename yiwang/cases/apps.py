from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "yiwang.cases"
    label = "cases"
    verbose_name = _("Disputes")

    def ready(self):
        from yiwang.cases import extensions

        extensions.register()
