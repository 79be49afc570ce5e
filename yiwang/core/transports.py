"""One transport class per outbox channel (healthchecks' hc/api/transports.py): send(recipient, text)
delivers or raises. Apps with a channel of their own add it with register_transport in ready()."""

from django.conf import settings
from django.utils.module_loading import import_string


class SmsTransport:
    """Text messages through the configured SMS backend (settings.SMS_BACKEND, env YIWANG_SMS_BACKEND,
    default yiwang.online.sms.FileBackend): a dotted path, so core imports no app."""

    def send(self, recipient: str, text: str) -> None:
        import_string(settings.SMS_BACKEND)().send(recipient, text)


TRANSPORTS = {"sms": SmsTransport}


def register_transport(channel: str, transport_class) -> None:
    TRANSPORTS[channel] = transport_class


def get_transport(channel: str):
    try:
        return TRANSPORTS[channel]()
    except KeyError:
        raise ValueError(f"no transport for outbox channel {channel!r}") from None
