"""The permission codes the cases app declares (registered in `CasesConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "case.view": _("See cases"),
    "case.intake": _("Register cases"),
    "case.route": _("Route, escalate and delegate cases"),
    "case.mediate": _("Mediate cases"),
    "case.supervise": _("Supervise deadlines and close cases"),
    "case.refer": _("Refer cases to litigation or arbitration"),
    "case.court": _("Act for a court"),
}
