"""Text messages to citizens' mobiles, through a pluggable backend (setting SMS_BACKEND,
environment YIWANG_SMS_BACKEND: a dotted path to a class).

A backend for a real gateway (阿里云短信, 腾讯云短信, a carrier's SMPP gateway …) is a class with

    class MyGateway:
        def send(self, phone: str, text: str) -> None:
            '''Deliver `text` to the 11-digit mainland mobile `phone`; raise SmsError (or any
            error) when the gateway refuses: the outbox (yiwang.core.outbox) retries with back-off.'''

constructed without arguments (read credentials from settings or the environment, e.g. *_FILE secrets).
Nothing calls a backend from a request: actions write to the outbox, whose SMS transport calls it.
The default FileBackend appends each message to VAR_DIR/sms.log, for development and demos; tests use
MemoryBackend and read `MemoryBackend.outbox`.
"""

import datetime as dt
import threading
from pathlib import Path

from django.conf import settings


class SmsError(Exception):
    """The gateway did not take the message."""


class FileBackend:
    """Appends every message to VAR_DIR/sms.log (one line each): the demo's "phone"."""

    _lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        path = Path(settings.VAR_DIR) / "sms.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        line = f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')}\t{phone}\t{text}\n"
        with self._lock, path.open("a", encoding="utf-8") as handle:
            handle.write(line)


class ConsoleBackend:
    """Prints every message to standard output."""

    def send(self, phone: str, text: str) -> None:
        print(f"SMS to {phone}: {text}", flush=True)


class MemoryBackend:
    """Keeps messages in `MemoryBackend.outbox` as (phone, text) pairs, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemoryBackend.outbox.append((phone, text))
