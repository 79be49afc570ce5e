"""Two workers delivering the outbox at the same moment, in real transactions on their own connections:
each due row is claimed by one of them and sent once."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from yiwang.core import outbox
from yiwang.core.models import Notification
from yiwang.core.transports import TRANSPORTS


class Slow:
    """A transport slow enough that both workers are inside deliver_due while the first one sends."""

    sent: list[str] = []
    lock = threading.Lock()

    def send(self, recipient, text):
        time.sleep(0.2)
        with Slow.lock:
            Slow.sent.append(text)


def busy_retry(function):
    """SQLite's shared-cache test database says "table is locked" at once instead of waiting the way a
    file database's busy timeout would; retry as the timeout would. PostgreSQL waits on the row lock."""
    for _attempt in range(200):
        try:
            return function()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("still locked")


def run_at_once(functions):
    barrier = threading.Barrier(len(functions))
    errors = []

    def worker(function):
        try:
            barrier.wait(timeout=10)
            busy_retry(function)
        except Exception as error:  # noqa: BLE001 - asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_row_once(monkeypatch):
    Slow.sent = []
    monkeypatch.setitem(TRANSPORTS, "slow", Slow)
    rows = [Notification.objects.create(channel="slow", recipient="13800000001", text=f"第{i}条",
                                        dedupe_key=f"race-{i}") for i in range(3)]
    # The worst interleaving, every time: both workers claim their first batch at the same moment.
    real_claim, both_ready, local = outbox._claim_batch, threading.Barrier(2), threading.local()

    def claim_when_both_are_ready(now, limit):
        if not getattr(local, "waited", False):
            local.waited = True
            both_ready.wait(timeout=10)
        return real_claim(now, limit)

    monkeypatch.setattr(outbox, "_claim_batch", claim_when_both_are_ready)
    errors = run_at_once([outbox.deliver_due, outbox.deliver_due])
    assert errors == []
    assert sorted(Slow.sent) == sorted(row.text for row in rows)  # each once, none twice
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("sent", 1)
