"""The permission codes the maritime app declares (registered in `MaritimeConfig.ready()`), and the roles
that hold them (written by migration 0002 and kept in step by the demo)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "sea.view": _("See vessels, sea areas and maritime case records"),
    "sea.register": _("Register and import vessels"),
    "sea.coordinate": _("Coordinate maritime cases: agencies, tasks, services, major disputes"),
    "sea.task": _("Work an agency's tasks on maritime cases"),
}

# Codes this app adds to the standard roles (accounts.permissions.DEFAULT_ROLES), and the agency role.
ROLE_CODES = {
    "window_clerk": ["sea.view", "sea.register"],
    "mediator": ["sea.view", "sea.coordinate"],
    "centre_staff": ["sea.view", "sea.register", "sea.coordinate"],
    "leader": ["sea.view"],
}
AGENCY_ROLE = "maritime_agency"
AGENCY_ROLE_NAME = "涉海单位工作人员"
# An agency officer's grant is limited to the agency (Grant.organisation): these codes reach only the
# cases, records and vessels of the tasks given to it (models.agency_case_q).
AGENCY_ROLE_CODES = ["area.view", "case.view", "sea.view", "sea.task"]
