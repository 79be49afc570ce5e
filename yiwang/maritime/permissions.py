"""The permission codes the maritime app declares (registered in `MaritimeConfig.ready()`), and the roles
that hold them (written by migration 0002 and kept in step by the demo)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "maritime.view": _("See vessels, sea areas and maritime case records"),
    "maritime.register": _("Register and import vessels"),
    "maritime.coordinate": _("Coordinate maritime cases: agencies, tasks, services, major disputes"),
    "maritime.task": _("Work an agency's tasks on maritime cases"),
}

# Codes this app adds to the standard roles (accounts.permissions.DEFAULT_ROLES), and the agency role.
ROLE_CODES = {
    "window_clerk": ["maritime.view", "maritime.register"],
    "mediator": ["maritime.view", "maritime.coordinate"],
    "centre_staff": ["maritime.view", "maritime.register", "maritime.coordinate"],
    "leader": ["maritime.view"],
}
AGENCY_ROLE = "maritime_agency"
AGENCY_ROLE_NAME = "涉海单位工作人员"
# An agency officer's grant is limited to the agency (Grant.organisation): these codes reach only the
# cases, records and vessels of the tasks given to it (models.agency_case_q).
AGENCY_ROLE_CODES = ["area.view", "case.view", "maritime.view", "maritime.task"]
