"""Two-factor sign-in (django-otp: an authenticator app's TOTP codes, and ten recovery codes each good once).

The rule, in this one place: with YIWANG_TWO_FACTOR=required, a user whose grants carry any of
TWO_FACTOR_PERMISSIONS (reading personal information in full, changing master data) or who is a
superuser must sign in with a second factor, and so must anyone opening the admin site. With `optional`,
and for everyone else, it is asked only of those who enrolled. Until a session is verified the middleware
lets through only the pages that finish signing in (enrol, verify, sign out).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yiwang.core.scope import get_grants

# Permission codes (accounts.permissions, areas.permissions) whose holders need a second factor.
TWO_FACTOR_PERMISSIONS = frozenset({"pii.view", "masterdata.change"})

# Paths an unverified session may still open.
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/")


def is_required() -> bool:
    return settings.YIWANG_TWO_FACTOR == "required"


def needs_two_factor(user) -> bool:
    """Whether `user` must sign in with a second factor (whatever they chose)."""
    if not (is_required() and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    return any(TWO_FACTOR_PERMISSIONS & set(grant.role.actions) for grant in get_grants(user))


def has_device(user) -> bool:
    """Whether `user` has finished enrolling (a confirmed authenticator)."""
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def is_verified(user) -> bool:
    """Whether this session's user gave a code (OTPMiddleware's mark; a user just signed in has none yet)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


# Set in the session at sign-in when the user has a device: read on each request instead of the devices.
PENDING_SESSION_KEY = "yiwang_otp_pending"


def note_device_at_login(sender, request, user, **kwargs):
    """user_logged_in (every sign-in: the page, the admin's, force_login): whoever enrolled must give a code."""
    if request is not None and hasattr(request, "session"):
        request.session[PENDING_SESSION_KEY] = has_device(user)


def must_verify(user, path: str = "", session=None) -> bool:
    """Whether this signed-in session must still give a one-time code before `path` opens."""
    if not user.is_authenticated or is_verified(user):
        return False
    admin = path.startswith("/admin/") and is_required()
    enrolled = session.get(PENDING_SESSION_KEY, False) if session is not None else has_device(user)
    return admin or enrolled or needs_two_factor(user)


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an unverified session that needs a second factor is sent to enrol
    (no device yet) or to enter a code; the session-authenticated API answers 403 instead. Token-
    authenticated API requests carry no session user and pass (the token endpoint asks for the code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(OPEN_PREFIXES) and must_verify(request.user, path, request.session):
            if path.startswith("/api/"):
                return JsonResponse({"detail": _("Sign in with your second factor first.")}, status=403)
            target = "accounts:two_factor_verify" if has_device(request.user) else "accounts:two_factor_enrol"
            return redirect(target)
        return self.get_response(request)


def verify_code(user, code: str):
    """The device (authenticator or recovery codes) that accepts `code` for `user`, or None. A recovery
    code is used up by this call; a device throttled after failures (django-otp) is not asked."""
    from django.db import transaction
    from django_otp import devices_for_user

    code = (code or "").replace(" ", "").strip()
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            allowed, _info = device.verify_is_allowed()
            if allowed and device.verify_token(code):
                return device
    return None
