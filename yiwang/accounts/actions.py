"""Account actions: issuing and revoking API tokens, enrolling and confirming two-factor devices, deactivating
an account that has acted (never deleted: the audit log refers to it)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.errors import InputError, PermissionRefused

RECOVERY_CODES = 10


def hash_key(key: str) -> str:
    """The stored form of a token's key. A plain SHA-256 suffices: the key carries 256 random bits, so
    there is nothing to guess from the digest (a slow password hash would only slow every API call)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def do_issue_token(user, name: str):
    """A new token named `name` for `user`, valid YIWANG_TOKEN_DAYS days. Returns (token, key): the key is
    shown once and never stored."""
    from yiwang.accounts.models import ApiToken
    from yiwang.audit.actions import record

    name = (name or "").strip()
    if not name:
        raise InputError({"name": [_("Name the token, e.g. after the system that will use it.")]})
    if len(name) > 60:
        raise InputError({"name": [_("At most 60 characters.")]})
    if user.api_tokens.live().filter(name=name).exists():
        raise InputError({"name": [_("You already have a token of that name.")]})
    key = secrets.token_hex(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=hash_key(key), prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.YIWANG_TOKEN_DAYS),
    )
    record(user, "auth.token_issued", token, name=name)
    return token, key


@transaction.atomic
def do_revoke_token(token, *, by) -> None:
    """`by` (the token's own user) ends one token at once."""
    from yiwang.audit.actions import record

    if token.user_id != by.pk:
        raise PermissionRefused(_("Only its own user may revoke a token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(by, "auth.token_revoked", token, name=token.name)


def revoke_tokens(user, *, reason: str) -> int:
    """End every live token of `user` (a changed password). Returns how many."""
    from yiwang.audit.actions import record

    count = user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if count:
        record(user, "auth.tokens_revoked", user, reason=reason, count=count)
    return count


def do_start_enrolment(user):
    """The user's unconfirmed authenticator (TOTP) device, made if need be: its key goes into the QR code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def do_confirm_enrolment(user, device, code: str) -> list[str]:
    """Confirm `device` with a code the app shows; replaces any earlier devices and recovery codes.
    Returns the new recovery codes (each good once), to be shown once."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yiwang.audit.actions import record

    if device.user_id != user.pk or device.confirmed:
        raise PermissionRefused(_("This enrolment is not yours or is already finished."))
    if not device.verify_token((code or "").strip()):
        raise InputError({"code": [_("Wrong code. Enter the six digits the app shows now.")]})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    record(user, "auth.two_factor_enrolled", user)
    return codes


def do_deactivate_user(user, *, by):
    """Deactivate `user` (administrators only): the way out for an account that has acted, which is never
    deleted because the audit log refers to it. Idempotent; audited."""
    if not (by.is_active and by.is_superuser):
        raise PermissionRefused(_("Only an administrator deactivates accounts."))
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            from yiwang.audit.actions import record

            record(by, "accounts.user_deactivated", user, username=user.get_username())
    return user
