"""The co-building tests' world: the cast, plus the app's own accounts (cobuild.demo.load_accounts)."""

import pytest


@pytest.fixture
def co(cast):
    """The cast with the co-building accounts: liuheng_community (a 六横 village), shenjiamen_community
    (新街社区), liuheng_office (六横镇), unit_liaison (区司法局), social_liaison (社会组织服务中心)."""
    from yiwang.cobuild.demo import load_accounts

    load_accounts()
    return cast


@pytest.fixture(autouse=True)
def cobuild_settings(settings, monkeypatch, tmp_path):
    """Photos under a temporary MEDIA_ROOT; SMS kept in memory and delivered at once (the test's
    transaction never commits, so the outbox's task is enqueued immediately instead)."""
    from yiwang.online.sms import MemoryBackend

    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: enqueue())
    yield
    MemoryBackend.outbox.clear()


@pytest.fixture
def sms():
    """The SMS messages sent during the test, as (phone, text) pairs."""
    from yiwang.online.sms import MemoryBackend

    return MemoryBackend.outbox
