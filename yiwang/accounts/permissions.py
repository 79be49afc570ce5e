"""The permission code accounts declares, and the standard roles.

Each app declares the codes it checks (its `permissions.py`, registered in its `AppConfig.ready()`; see
`yiwang.core.permissions`); `get_permissions()` lists them all. Roles are data (the Role table): this
module only holds the defaults installed on a new database and kept in step by `yiwang demo`.
`pii.view` lives here because personal information is shown by every app that shows a person.
"""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "pii.view": _("See personal information in full"),
    # Who works with the API (a bank's or a court's systems, administrators): the home page links its
    # documentation for them only.
    "api.use": _("Use the API"),
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
            "grid.view", "grid.dispatch", "stats.view", "grid.verify",
        ],
    ),
    "grid_worker": (_("Grid worker"), ["area.view", "grid.view", "grid.visit", "grid.handle", "grid.verify"]),
    "partner_unit": (_("Partner unit"), ["area.view", "grid.view", "grid.handle"]),
    "bank_operator": (_("Bank operator"), ["area.view", "case.view", "case.intake", "api.use"]),
    "court_liaison": (_("Court liaison"), ["area.view", "case.view", "case.court", "api.use"]),
    "leader": (_("Leader"), ["area.view", "case.view", "grid.view", "stats.view"]),
    # Not a person: the account each centre's 解纷码 (online filing page) registers cases under, and which
    # records a respondent's online refusal. It cannot sign in.
    "online_intake": (_("Online intake (解纷码)"), ["case.view", "case.intake"]),
    "administrator": (
        _("Administrator"),
        ["area.view", "masterdata.view", "masterdata.change", "audit.view", "case.view", "grid.view", "stats.view",
         "api.use"],
    ),
}
