from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = _("Shared data")

    def ready(self):
        from django.apps import apps
        from django.core import checks

        from yiwang.core.checks import check_data_keys
        from yiwang.core.fields import make_model_serializers_strict

        make_model_serializers_strict()  # every API's text fields refuse numbers and control characters

        # Tagged database too, so that the entry points' check_database_before_serving runs it.
        checks.register(check_data_keys, checks.Tags.security, checks.Tags.database)

        # Libraries whose app names are not translatable: named in the admin as a Chinese reader expects.
        names = {"axes": _("Sign-in protection"), "django_tasks_database": _("Background tasks")}
        for label, name in names.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
