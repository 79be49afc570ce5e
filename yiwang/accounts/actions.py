"""Changes to accounts.

    do_deactivate_user(user, *, by) → User    sign-in refused from now on; the account and its history stay
"""

from django.db import transaction

from yiwang.audit.actions import record
from yiwang.core.errors import PermissionRefused


def do_deactivate_user(user, *, by):
    """Deactivate `user` (administrators only): the way out for an account that has acted, which is never
    deleted because the audit log refers to it. Idempotent; audited."""
    from django.utils.translation import gettext as _

    if not (by.is_active and by.is_superuser):
        raise PermissionRefused(_("Only an administrator deactivates accounts."))
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(by, "accounts.user_deactivated", user, username=user.get_username())
    return user
