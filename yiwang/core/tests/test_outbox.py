"""The notification outbox: a message exists exactly when the action that wrote it committed, is sent once,
is retried with back-off when the transport fails and given up on after the maximum."""

import datetime as dt
from importlib.util import find_spec

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from yiwang.core import outbox
from yiwang.core.models import Notification, NotificationStatus
from yiwang.core.transports import TRANSPORTS

PHONE = "13800000001"


class Recording:
    """A transport that keeps what it was given; `failures` sends fail before the first success."""

    sent: list[tuple[str, str]] = []
    failures = 0

    def send(self, recipient, text):
        if Recording.failures:
            Recording.failures -= 1
            raise ConnectionError("网关超时")
        Recording.sent.append((recipient, text))


@pytest.fixture(autouse=True)
def recording(monkeypatch):
    Recording.sent, Recording.failures = [], 0
    monkeypatch.setitem(TRANSPORTS, "test", Recording)
    return Recording


def test_a_message_written_in_a_rolled_back_transaction_is_never_sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.notify("test", PHONE, "您的调解会议已安排", key="rolled-back")
            raise RuntimeError("the action failed after writing its message")
    assert callbacks == [] and not Notification.objects.exists()
    assert outbox.deliver_outbox_now() == 0 and Recording.sent == []


def test_a_committed_message_is_sent_by_the_task_enqueued_on_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        row = outbox.notify("test", PHONE, "您的调解会议已安排", key="committed")
    assert Recording.sent == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert Recording.sent == [(PHONE, "您的调解会议已安排")]
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and row.attempts == 1 and row.sent_at is not None


def test_the_same_dedupe_key_twice_gives_one_row_and_one_message(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox.notify("test", PHONE, "第一次", key="case-7:session-3:party-9")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = outbox.notify("test", PHONE, "重试", key="case-7:session-3:party-9")
    assert again.pk == first.pk and Notification.objects.count() == 1 and callbacks == []
    assert Recording.sent == [(PHONE, "第一次")]


def test_a_failing_transport_is_retried_with_back_off_and_failed_after_the_maximum(db, settings):
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_SECONDS = 3, 60
    Recording.failures = 99
    row = Notification.objects.create(channel="test", recipient=PHONE, text="通知", dedupe_key="flaky")
    start = row.next_attempt_at
    assert outbox.deliver_due(start) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, start + dt.timedelta(seconds=60))
    assert "ConnectionError: 网关超时" in row.last_error

    assert outbox.deliver_due(start + dt.timedelta(seconds=59)) == 0  # not due yet: not tried
    row.refresh_from_db()
    assert row.attempts == 1

    second = start + dt.timedelta(seconds=60)
    outbox.deliver_due(second)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 2, second + dt.timedelta(seconds=120))

    outbox.deliver_due(second + dt.timedelta(seconds=120))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3) and row.sent_at is None
    outbox.deliver_due(start + dt.timedelta(days=30))
    row.refresh_from_db()
    assert row.attempts == 3 and Recording.sent == []


def test_a_transport_that_recovers_delivers_on_the_retry(db):
    Recording.failures = 1
    row = Notification.objects.create(channel="test", recipient=PHONE, text="通知", dedupe_key="recovers")
    outbox.deliver_due(row.next_attempt_at)
    outbox.deliver_due(row.next_attempt_at + outbox.backoff(1))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2) and Recording.sent == [(PHONE, "通知")]


def test_a_secret_text_is_erased_once_sent(db):
    secret = Notification.objects.create(channel="test", recipient=PHONE, text="验证码 123456",
                                         dedupe_key="code-1", secret=True)
    plain = Notification.objects.create(channel="test", recipient=PHONE, text="会议取消", dedupe_key="plain-1")
    outbox.deliver_outbox_now()
    secret.refresh_from_db()
    plain.refresh_from_db()
    assert Recording.sent == [(PHONE, "验证码 123456"), (PHONE, "会议取消")]
    assert secret.text == "" and plain.text == "会议取消"


def test_a_row_left_sending_by_a_crashed_worker_is_sent_by_the_recovery_command(db, capsys):
    now = timezone.now()
    crashed = Notification.objects.create(channel="test", recipient=PHONE, text="崩溃前", dedupe_key="crashed",
                                          status="sending", attempts=1, claimed_at=now - dt.timedelta(minutes=11))
    busy = Notification.objects.create(channel="test", recipient=PHONE, text="正在发送", dedupe_key="busy",
                                       status="sending", attempts=1, claimed_at=now - dt.timedelta(minutes=1))
    due = Notification.objects.create(channel="test", recipient=PHONE, text="到期", dedupe_key="due")
    call_command("deliver_outbox")
    assert "2 sent" in capsys.readouterr().out
    assert sorted(text for _phone, text in Recording.sent) == sorted(["崩溃前", "到期"])
    busy.refresh_from_db()
    crashed.refresh_from_db()
    due.refresh_from_db()
    assert busy.status == "sending" and crashed.status == due.status == "sent"


def test_an_unknown_channel_is_refused_when_written(db):
    with pytest.raises(ValueError):
        outbox.notify("pigeon", PHONE, "?", key="pigeon")
    assert not Notification.objects.exists()


DUMMY = ("django.tasks.backends.dummy.DummyBackend" if find_spec("django.tasks")
         else "django_tasks.backends.dummy.DummyBackend")


def test_a_backend_that_can_defer_gets_the_retry_enqueued_for_its_time(db, settings):
    from yiwang.core.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": DUMMY}}
    Recording.failures = 1
    row = Notification.objects.create(channel="test", recipient=PHONE, text="通知", dedupe_key="deferred")
    outbox.deliver_due(row.next_attempt_at)
    row.refresh_from_db()
    (result,) = default_task_backend.results
    assert result.task.name == "deliver_outbox" and result.task.run_after == row.next_attempt_at


def test_rows_are_claimed_in_batches_oldest_first_and_each_sent_once(db, settings):
    settings.OUTBOX_CLAIM_BATCH = 2
    start = timezone.now() - dt.timedelta(minutes=5)
    rows = [Notification.objects.create(channel="test", recipient=PHONE, text=f"第{i}条", dedupe_key=f"batch-{i}",
                                        next_attempt_at=start + dt.timedelta(seconds=i)) for i in range(5)]
    later = Notification.objects.create(channel="test", recipient=PHONE, text="未到期", dedupe_key="batch-later",
                                        next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    assert outbox.deliver_due() == 5
    assert [text for _phone, text in Recording.sent] == [row.text for row in rows]
    assert set(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", "attempts")) == {("sent", 1)}
    later.refresh_from_db()
    assert (later.status, later.attempts) == ("pending", 0)


def test_a_batch_slower_than_its_time_gives_its_unsent_rows_back_uncounted(db, settings, monkeypatch):
    settings.OUTBOX_CLAIM_BATCH = 3
    monkeypatch.setattr(outbox, "BATCH_SECONDS", -1)  # every row after a batch's first is "too late"
    rows = [Notification.objects.create(channel="test", recipient=PHONE, text=f"慢{i}", dedupe_key=f"slow-{i}")
            for i in range(3)]
    claimed = outbox._claim_batch(timezone.now(), 3)
    assert claimed == [row.pk for row in rows]
    assert outbox._claim_batch(timezone.now(), 3) == []  # all three are this worker's now
    outbox._give_back(claimed)
    assert outbox.deliver_due() == 3  # one per batch, the rest given back each time
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}
