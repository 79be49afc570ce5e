"""The permission codes the grids app declares (registered in `GridsConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "grid.view": _("See grids and problems"),
    "grid.visit": _("Log grid visits and report problems"),
    "grid.dispatch": _("Accept and dispatch grid problems"),
    "grid.handle": _("Handle dispatched grid problems"),
    "grid.verify": _("Verify on site what was done about a grid problem, and close it"),
}
