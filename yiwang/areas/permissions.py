"""The permission codes the areas app declares (registered in `AreasConfig.ready()`).

`area.view` is what `visible_to(user)` asks for when no action is named: seeing the divisions, centres,
windows, teams and organisations of an area. The master data codes govern the administration
(`yiwang.admin.ScopedAdmin`), whose first business is this app's master data.
"""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "area.view": _("See objects in the area"),
    "masterdata.view": _("Read master data in the admin"),
    "masterdata.change": _("Edit master data in the admin"),
}
