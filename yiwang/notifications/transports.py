"""The outbox channels this app adds (core.transports.register_transport, in ready()): e-mail through
Django's mail backends, 浙政钉 work notices through the open platform (adapters.zzd). Each send()
delivers or raises, and the core outbox retries with back-off."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage

SUBJECT_CHARS = 60


class EmailTransport:
    """One e-mail per row through the default mailer of Django's MAILERS (configured by YIWANG_EMAIL_*,
    README): the first line (cut) is the subject, the whole text the body, from DEFAULT_FROM_EMAIL. A
    refusal raises, and the outbox retries."""

    def send(self, recipient: str, text: str) -> None:
        subject = text.splitlines()[0][:SUBJECT_CHARS] if text else ""
        message = EmailMessage(f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", text, None, [recipient])
        if hasattr(mail, "mailers"):  # Django 6.1's MAILERS
            message.send(using="default")
        else:  # Django 5.2 LTS: EMAIL_BACKEND and its settings (yiwang.settings sets both)
            message.send()


class ZzdTransport:
    """One 浙政钉 work notice per row, to the row's accountId."""

    def send(self, recipient: str, text: str) -> None:
        from yiwang.notifications.adapters.zzd import ZzdClient

        biz = hashlib.sha256(f"{recipient}\n{text}".encode()).hexdigest()[:32]
        ZzdClient().send_work_notice([recipient], text, biz_msg_id=biz)
