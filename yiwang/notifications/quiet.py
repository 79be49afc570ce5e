"""Quiet hours: no non-urgent SMS between settings.NOTIFICATIONS_QUIET_HOURS (22:00–08:00 local time by
default). A message written then is held, not dropped: its first attempt moves to the end of the quiet
hours, and the worker is asked to come back then."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yiwang.core.models import Notification, NotificationStatus


def get_quiet_end(now: dt.datetime | None = None) -> dt.datetime | None:
    """When the quiet hours around `now` end (aware, local), or None when `now` is not in them."""
    start, end = settings.NOTIFICATIONS_QUIET_HOURS
    local = timezone.localtime(now or timezone.now())
    hour = local.hour
    quiet = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not quiet:
        return None
    day = local.date() if hour < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(end)), local.tzinfo)


def hold(row: Notification, now: dt.datetime | None = None) -> Notification:
    """Hold a fresh outbox row until the quiet hours end (nothing happens outside them, or to a row
    already attempted)."""
    until = get_quiet_end(now)
    if until is None:
        return row
    if Notification.objects.filter(pk=row.pk, status=NotificationStatus.PENDING, attempts=0).update(
            next_attempt_at=until):
        row.next_attempt_at = until
        transaction.on_commit(lambda: _wake_at(until), robust=True)
    return row


def _wake_at(when: dt.datetime) -> None:
    from yiwang.core.outbox import _enqueue_delivery

    _enqueue_delivery(run_after=when)  # without a deferring backend, cron's `yiwang deliver_outbox` sends it
