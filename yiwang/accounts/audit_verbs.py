"""The accounts app's verbs: API tokens and two-factor sign-in (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "auth.token_revoked": _("API token revoked"),
    "auth.tokens_revoked": _("API tokens revoked (password changed)"),
    "auth.two_factor_enrolled": _("Two-factor sign-in set up"),
    "auth.two_factor_verified": _("Signed in with a second factor"),
    "auth.two_factor_failed": _("Wrong two-factor code"),
    "accounts.user_deactivated": _("Account deactivated"),
}
