"""The permission codes the stats app declares (registered in `StatsConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "stats.view": _("Read statistics and dashboards"),
}
