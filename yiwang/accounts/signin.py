"""Sign-in limits beyond django-axes' per-name-and-address lock-out: a per-address failure budget against
password spraying, and the lock-out answer (JSON for the API, the locked_out page otherwise)."""

from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.network import get_client_ip


def get_address_failures(request) -> int:
    """Failed sign-ins from the request's client address within the cool-off, whatever the user name."""
    from axes.models import AccessAttempt

    ip = get_client_ip(request)
    if ip is None:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def is_address_locked(request) -> bool:
    return get_address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 in the form the client reads."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed sign-ins. Try again later.")}, status=429)
    context = {"cooloff_timedelta": settings.AXES_COOLOFF_TIME, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
