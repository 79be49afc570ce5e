"""The permission codes the grids app declares (registered in `GridsConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "grid.view": _("See grids and problems"),
    "grid.visit": _("Log grid visits and report problems"),
    "grid.dispatch": _("Accept, dispatch and verify grid problems"),
    "grid.handle": _("Handle dispatched grid problems"),
}
