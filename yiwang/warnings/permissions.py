"""The permission codes the warnings app declares (registered in `WarningsConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "warning.view": _("See early warnings"),
    "warning.handle": _("Acknowledge, handle and close early warnings"),
}

# The role this app installs (its data migration and its demo): the leader who receives warnings for an
# area and must act on them. The cases app's plain "leader" role reads cases and figures only.
WARNING_LEADER_ROLE = "warning_leader"
WARNING_LEADER_NAME = _("Warning leader")  # stored as its English source text, as migrate stores it
WARNING_LEADER_ACTIONS = ["area.view", "case.view", "grid.view", "stats.view", "warning.view", "warning.handle"]
