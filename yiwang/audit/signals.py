"""Sign-ins, sign-outs and failed sign-ins go into the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yiwang.audit.actions import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(user, "auth.login")


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, "auth.logout")


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record(None, "auth.login_failed", actor_name=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    record(None, "auth.locked_out", actor_name=str(username or "")[:150], ip_address=ip_address)
