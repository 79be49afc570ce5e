"""The vocabulary of actions a role can carry, and the standard roles. Roles are data (the Role
table); this module only names the codes the software checks and the defaults it installs."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "area.view": _("See objects in the area"),
    "masterdata.view": _("Read master data in the admin"),
    "masterdata.change": _("Edit master data in the admin"),
    "audit.view": _("Read the audit log"),
    "pii.view": _("See personal information in full"),
    "case.view": _("See cases"),
    "case.intake": _("Register cases"),
    "case.route": _("Route, escalate and delegate cases"),
    "case.mediate": _("Mediate cases"),
    "case.supervise": _("Supervise deadlines and close cases"),
    "case.refer": _("Refer cases to litigation or arbitration"),
    "case.court": _("Act for a court"),
    "grid.view": _("See grids and problems"),
    "grid.visit": _("Log grid visits and report problems"),
    "grid.dispatch": _("Accept, dispatch and verify grid problems"),
    "grid.handle": _("Handle dispatched grid problems"),
    "stats.view": _("Read statistics and dashboards"),
}

# code: (name, actions). Installed by a migration and kept in step by `yiwang demo`; editable in the admin.
DEFAULT_ROLES = {
    "window_clerk": (
        _("Window clerk"),
        ["area.view", "masterdata.view", "case.view", "case.intake", "case.route", "pii.view"],
    ),
    "mediator": (_("Mediator"), ["area.view", "case.view", "case.mediate", "pii.view"]),
    "centre_staff": (
        _("Centre staff"),
        [
            "area.view", "masterdata.view", "masterdata.change", "audit.view", "pii.view",
            "case.view", "case.intake", "case.route", "case.mediate", "case.supervise", "case.refer",
            "grid.view", "grid.dispatch", "stats.view",
        ],
    ),
    "grid_worker": (_("Grid worker"), ["area.view", "grid.view", "grid.visit", "grid.handle"]),
    "partner_unit": (_("Partner unit"), ["area.view", "grid.view", "grid.handle"]),
    "bank_operator": (_("Bank operator"), ["area.view", "case.view", "case.intake"]),
    "court_liaison": (_("Court liaison"), ["area.view", "case.view", "case.court"]),
    "leader": (_("Leader"), ["area.view", "case.view", "grid.view", "stats.view"]),
    # Not a person: the account each centre's 解纷码 (online filing page) registers cases under, and which
    # records a respondent's online refusal. It cannot sign in.
    "online_intake": (_("Online intake (解纷码)"), ["case.view", "case.intake"]),
    "administrator": (
        _("Administrator"),
        ["area.view", "masterdata.view", "masterdata.change", "audit.view", "case.view", "grid.view", "stats.view"],
    ),
}
