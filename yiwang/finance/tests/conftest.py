"""Fixtures of the financial desk's tests: text messages kept in memory (as the online app's tests do)."""

import pytest


@pytest.fixture
def sms(settings, monkeypatch):
    """The SMS sent during the test, as (phone, text) pairs; the outbox delivers at once (tests never
    commit)."""
    from yiwang.online.sms import MemoryBackend

    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: enqueue())
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()
