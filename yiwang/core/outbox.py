"""The durable notification outbox (healthchecks' Flip + sendalerts, in the tasks API).

    notify(channel, recipient, text, *, key, about=None, area_code="", secret=False) → Notification
        Called inside an action's transaction: writes one pending row (or finds the one with the same
        `key`) and, once the transaction commits, enqueues `deliver_outbox`. A rolled-back action leaves
        no row and sends nothing; nothing is sent from inside a request. A `secret` text (a code, a
        private link) is erased from the row once it is sent or given up on.
    deliver_due(now=None) → int
        Send every due row: each is claimed with a conditional UPDATE (pending and due → sending), so two
        workers never send one row twice; sent → `sent`; a transport error → back to pending with an
        exponential back-off (settings.OUTBOX_RETRY_SECONDS × 2^(attempts−1)), `failed` after
        settings.OUTBOX_MAX_ATTEMPTS attempts.
    deliver_outbox (task)        deliver_due in the worker; re-enqueued for the next retry when the
                                 backend can defer (supports_defer), else left to `yiwang deliver_outbox`.
    release_stuck(now=None)      rows left `sending` by a crashed worker go back to pending.
    deliver_outbox_now()         for tests and the command: release_stuck + deliver_due, here and now.

Transports: one class per channel with send(recipient, text), raising on failure (yiwang.core.transports).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.models import Notification, NotificationStatus
from yiwang.core.tasks import task
from yiwang.core.transports import get_transport

logger = logging.getLogger(__name__)

# A row `sending` for longer than this belonged to a worker that died mid-send. Releasing it risks one
# duplicate message; leaving it loses the message. Long enough that no live send is still under way.
STUCK_AFTER = dt.timedelta(minutes=10)
BATCH = 100


def _after_commit(enqueue) -> None:
    """The seam tests replace: their transaction never commits, so they deliver at once instead."""
    transaction.on_commit(enqueue, robust=True)


def notify(channel: str, recipient: str, text: str, *, key: str, about=None, area_code: str = "",
           secret: bool = False) -> Notification:
    """Write the message to the outbox in the caller's transaction; it is sent after the commit."""
    get_transport(channel)  # an unknown channel is a programming error: refuse it now, not in the worker
    with transaction.atomic():
        row, created = Notification.objects.get_or_create(dedupe_key=key[:200], defaults={
            "channel": channel, "recipient": recipient, "text": text, "secret": secret, "area_code": area_code,
            "about_type": ContentType.objects.get_for_model(about) if about is not None else None,
            "about_id": str(about.pk) if about is not None else "",
        })
        if created:
            _after_commit(_enqueue_delivery)
    return row


def _enqueue_delivery(run_after: dt.datetime | None = None) -> None:
    if run_after is None:
        deliver_outbox.enqueue()
    elif deliver_outbox.get_backend().supports_defer:
        deliver_outbox.using(run_after=run_after).enqueue()


def _claim(pk: int, now: dt.datetime) -> bool:
    """Pending and due → sending, in one conditional UPDATE: of two workers, one gets the row."""
    return Notification.objects.filter(
        pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now,
    ).update(status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1) == 1


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: the base, then doubling."""
    return dt.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def _send(row: Notification, now: dt.datetime) -> tuple[bool, dt.datetime | None]:
    """Send one claimed row and record the outcome: (sent, when to retry if it is to be retried)."""
    try:
        get_transport(row.channel).send(row.recipient, row.text)
    except Exception as error:  # noqa: BLE001 - any transport failure is recorded and retried
        message = f"{type(error).__name__}: {error}"[:1000]
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            logger.warning("notification %s failed for good after %s attempts: %s", row.pk, row.attempts, message)
            Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.FAILED, last_error=message,
                                                          **_erased(row))
            return False, None
        retry_at = now + backoff(row.attempts)
        Notification.objects.filter(pk=row.pk).update(
            status=NotificationStatus.PENDING, next_attempt_at=retry_at, last_error=message)
        return False, retry_at
    Notification.objects.filter(pk=row.pk).update(status=NotificationStatus.SENT, sent_at=timezone.now(),
                                                  **_erased(row))
    return True, None


def _erased(row: Notification) -> dict:
    return {"text": ""} if row.secret else {}


def deliver_due(now: dt.datetime | None = None) -> int:
    """Send what is due at `now`; returns how many were sent. Safe to run in any number of workers at once.
    Each row is claimed just before it is sent, so a crash strands at most the one being sent."""
    now = now or timezone.now()
    sent, retries = 0, []
    while True:
        due = list(Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
                   .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:BATCH])
        for pk in due:
            if not _claim(pk, now):
                continue  # another worker has it
            delivered, retry_at = _send(Notification.objects.get(pk=pk), now)
            sent += delivered
            if retry_at is not None:
                retries.append(retry_at)
        if len(due) < BATCH:
            break
    if retries:
        _enqueue_delivery(run_after=min(retries))
    return sent


def release_stuck(now: dt.datetime | None = None) -> int:
    """Rows a crashed worker left `sending` go back to pending, to be sent again."""
    now = now or timezone.now()
    return Notification.objects.filter(status=NotificationStatus.SENDING, claimed_at__lt=now - STUCK_AFTER).update(
        status=NotificationStatus.PENDING, next_attempt_at=now)


@task()
def deliver_outbox() -> int:
    """The worker's delivery run, enqueued after each commit that wrote to the outbox."""
    return deliver_due()


def deliver_outbox_now(now: dt.datetime | None = None) -> int:
    """Deliver here and now, not through the worker: the recovery command and tests."""
    release_stuck(now)
    return deliver_due(now)
