"""Fixtures for the online app: a signing identity of its own per test session, SMS kept in memory."""

import pytest

from yiwang.online.signing import make_demo_identity, sign_pdf


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory):
    """A demo CA and centre certificate for this test session (not the developer's var/signing)."""
    return make_demo_identity("舟山市普陀区社会治理中心", directory=tmp_path_factory.mktemp("signing"))


@pytest.fixture(scope="session")
def other_signing_dir(tmp_path_factory):
    """Someone else's CA and certificate, claiming the same name."""
    return make_demo_identity("舟山市普陀区社会治理中心", directory=tmp_path_factory.mktemp("other-signing"))


@pytest.fixture(autouse=True)
def online_settings(settings, signing_dir, monkeypatch, tmp_path):
    from yiwang.online.sms import MemoryBackend

    settings.SIGNING_KEY_FILE = str(signing_dir / "centre.key.pem")
    settings.SIGNING_CERT_FILE = str(signing_dir / "centre.cert.pem")
    settings.SIGNING_CA_FILE = str(signing_dir / "ca.cert.pem")
    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    settings.MEDIA_ROOT = str(tmp_path / "private")
    MemoryBackend.outbox.clear()
    # Tests run inside a transaction that never commits: the outbox's delivery task, which a real commit
    # enqueues (and the immediate test backend runs), is enqueued at once instead.
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: enqueue())
    yield
    MemoryBackend.outbox.clear()


@pytest.fixture
def outbox():
    """The SMS messages sent during the test, as (phone, text) pairs."""
    from yiwang.online.sms import MemoryBackend

    return MemoryBackend.outbox


@pytest.fixture(scope="session")
def draft_pdf():
    from weasyprint import HTML

    return HTML(string=(
        "<html style='font-family: \"Noto Sans CJK SC\"'><body><h1>人民调解协议书</h1>"
        "<p>申请人张三与被申请人李四因渔船碰撞发生纠纷，经调解自愿达成如下协议。</p></body></html>"
    )).write_pdf()


@pytest.fixture(scope="session")
def signed_pdf(draft_pdf, signing_dir):
    """Signed in turn by both parties and the mediator, then sealed by the centre."""
    from django.test import override_settings

    with override_settings(
        SIGNING_KEY_FILE=str(signing_dir / "centre.key.pem"), SIGNING_CERT_FILE=str(signing_dir / "centre.cert.pem"),
        SIGNING_CA_FILE=str(signing_dir / "ca.cert.pem"),
    ):
        pdf = draft_pdf
        for label in ("申请人 张三", "被申请人 李四", "调解员 王调解"):
            pdf = sign_pdf(pdf, label)
        return sign_pdf(pdf, "舟山市普陀区社会治理中心", seal=True)
