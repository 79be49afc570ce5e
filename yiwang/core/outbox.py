"""The durable notification outbox (healthchecks' Flip + sendalerts, in the tasks API).

    notify(channel, recipient, text, *, key, about=None, area_code="", secret=False) → Notification
        Called inside an action's transaction: writes one pending row (or finds the one with the same
        `key`) and, once the transaction commits, enqueues `deliver_outbox`. A rolled-back action leaves
        no row and sends nothing; nothing is sent from inside a request. A `secret` text (a code, a
        private link) is erased from the row once it is sent or given up on.
    deliver_due(now=None) → int
        Send every due row: up to settings.OUTBOX_CLAIM_BATCH rows at a time are claimed by one conditional
        UPDATE … RETURNING (pending and due → sending; on PostgreSQL the rows another worker is claiming
        are skipped, not waited for), so two workers never send one row twice; each is then sent and its
        outcome recorded at once: sent → `sent`; a transport error → back to pending with an exponential
        back-off (settings.OUTBOX_RETRY_SECONDS × 2^(attempts−1)), `failed` after
        settings.OUTBOX_MAX_ATTEMPTS attempts. A batch that takes longer than half of STUCK_AFTER gives its
        unsent rows back, so no live worker's row is ever released as stuck.
    deliver_outbox (task)        deliver_due in the worker; re-enqueued for the next retry when the
                                 backend can defer (supports_defer), else left to `yiwang deliver_outbox`.
    release_stuck(now=None)      rows left `sending` by a crashed worker go back to pending.
    deliver_outbox_now()         for tests and the command: release_stuck + deliver_due, here and now.

Transports: one class per channel with send(recipient, text), raising on failure (yiwang.core.transports).
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from yiwang.core.models import Notification, NotificationStatus
from yiwang.core.tasks import task
from yiwang.core.transports import get_transport

logger = logging.getLogger(__name__)

# A row `sending` for longer than this belonged to a worker that died mid-send. Releasing it risks one
# duplicate message; leaving it loses the message. Long enough that no live send is still under way.
STUCK_AFTER = dt.timedelta(minutes=10)
# A batch still being sent after this long gives its unsent rows back (see deliver_due).
BATCH_SECONDS = STUCK_AFTER.total_seconds() / 2


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
    """Pending and due → sending, in one conditional UPDATE: of two workers, one gets the row. (The
    databases without UPDATE … RETURNING claim row by row.)"""
    return Notification.objects.filter(
        pk=pk, status=NotificationStatus.PENDING, next_attempt_at__lte=now,
    ).update(status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1) == 1


def _claim_batch(now: dt.datetime, limit: int) -> list[int]:
    """Up to `limit` due rows, oldest first, pending → sending in one conditional UPDATE … RETURNING; the
    ids this worker got. The outer WHERE repeats the condition, so a row another worker claimed meanwhile
    is not taken again (PostgreSQL re-checks it on the row's new version); on PostgreSQL the inner SELECT
    skips rows another worker's UPDATE has locked, so two workers take different rows."""
    if connection.vendor not in ("postgresql", "sqlite"):
        due = (Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
        return [pk for pk in list(due) if _claim(pk, now)]
    meta, quote = Notification._meta, connection.ops.quote_name
    table, column = quote(meta.db_table), lambda name: quote(meta.get_field(name).column)
    skip_locked = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    due_at = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"UPDATE {table} SET {column('status')} = %s, {column('claimed_at')} = %s, "
        f"{column('attempts')} = {column('attempts')} + 1 "
        f"WHERE {column('id')} IN (SELECT {column('id')} FROM {table} WHERE {column('status')} = %s "
        f"AND {column('next_attempt_at')} <= %s ORDER BY {column('next_attempt_at')}, {column('id')} "
        f"LIMIT %s{skip_locked}) AND {column('status')} = %s AND {column('next_attempt_at')} <= %s "
        f"RETURNING {column('id')}"
    )
    params = [NotificationStatus.SENDING, connection.ops.adapt_datetimefield_value(timezone.now()),
              NotificationStatus.PENDING, due_at, limit, NotificationStatus.PENDING, due_at]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _give_back(pks: list[int]) -> None:
    """Claimed rows this worker will not send after all: pending again, the attempt not counted."""
    Notification.objects.filter(pk__in=pks, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.PENDING, claimed_at=None, attempts=F("attempts") - 1)


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
    Each outcome is recorded as soon as the row is sent, so a crash sends at most the one being sent twice;
    the rest of its batch waits for release_stuck."""
    now = now or timezone.now()
    batch = settings.OUTBOX_CLAIM_BATCH
    sent, retries = 0, []
    while True:
        claimed = _claim_batch(now, batch)
        started = time.monotonic()
        rows, gave_back = Notification.objects.in_bulk(claimed), False
        for index, pk in enumerate(claimed):
            if index and time.monotonic() - started > BATCH_SECONDS:
                _give_back(claimed[index:])  # a slow gateway: the rest go back before anyone deems them stuck
                gave_back = True
                break
            if pk not in rows:
                continue  # deleted since it was claimed
            delivered, retry_at = _send(rows[pk], now)
            sent += delivered
            if retry_at is not None:
                retries.append(retry_at)
        if len(claimed) < batch and not gave_back:
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
