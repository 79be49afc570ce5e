"""The permission codes the co-building app declares (registered in `CobuildConfig.ready()`)."""

from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "cobuild.view": _("See co-building demands, resources and projects"),
    "cobuild.post": _("Post demands of a community and confirm or close their claims"),
    "cobuild.claim": _("Claim demands and offer resources for a unit or social organisation"),
    "cobuild.manage": _("Manage co-building: escalated demands, projects"),
}

# code: (name, actions). Installed by migration 0002 (a literal copy: tests/test_roles.py compares them)
# and kept in step by `yiwang demo`; editable in the admin.
ROLES = {
    # A community's (社区/村) staff: post its demands, confirm and close the claims on them.
    "cobuild_community": (_("Community co-building worker"),
                          ["area.view", "cobuild.view", "cobuild.post", "grid.view", "pii.view"]),
    # A district unit's or social organisation's liaison, on a grant limited to the organisation.
    "cobuild_unit": (_("Co-building unit liaison"), ["area.view", "cobuild.view", "cobuild.claim"]),
    # The street's or district's co-building office (大工委/大党委): escalated demands, projects.
    "cobuild_office": (_("Co-building office"),
                       ["area.view", "cobuild.view", "cobuild.post", "cobuild.manage", "grid.view", "pii.view"]),
}
