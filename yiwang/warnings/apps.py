from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from yiwang.core.permissions import register_permissions
from yiwang.warnings.permissions import PERMISSIONS


class WarningsConfig(AppConfig):
    # The package is yiwang.warnings; `import warnings` elsewhere still finds the standard library's
    # module, because nothing puts yiwang/ itself on sys.path.
    name = "yiwang.warnings"
    label = "warnings"
    verbose_name = _("Early warnings")

    def ready(self):
        register_permissions(self.label, PERMISSIONS)
        from yiwang.warnings import extensions

        extensions.register()
