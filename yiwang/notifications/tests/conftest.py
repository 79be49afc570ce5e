"""Fixtures for the notifications tests: SMS, e-mail and 浙政钉 kept in memory, the outbox delivered at
once (the test's transaction never commits), and a clock outside the quiet hours unless a test says."""

import datetime as dt

import pytest


class ZzdMemory:
    """A 浙政钉 transport that keeps (accountId, text)."""

    sent: list = []

    def send(self, recipient, text):
        ZzdMemory.sent.append((recipient, text))


@pytest.fixture(autouse=True)
def notification_settings(settings, monkeypatch):
    from yiwang.core.transports import TRANSPORTS
    from yiwang.online.sms import MemoryBackend

    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    settings.NOTIFICATIONS_QUIET_HOURS = (22, 8)
    MemoryBackend.outbox.clear()
    ZzdMemory.sent = []
    monkeypatch.setitem(TRANSPORTS, "zzd", ZzdMemory)
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: enqueue())
    yield
    MemoryBackend.outbox.clear()


@pytest.fixture
def daytime(time_machine):
    """A fixed working-day morning in Shanghai: 2026-03-03 10:00 (a Tuesday), outside the quiet hours."""
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


@pytest.fixture
def sms():
    from yiwang.online.sms import MemoryBackend

    return MemoryBackend.outbox


@pytest.fixture
def zzd():
    return ZzdMemory.sent
