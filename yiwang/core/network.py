"""The client's address: the one function every address-based control calls (the login lock-out through
AXES_CLIENT_IP_CALLABLE, the audit's IP, and through it the public filing and status-lookup limits).

Behind the reverse proxy the README documents, REMOTE_ADDR is the proxy's address. `X-Forwarded-For` is
believed only as far as it was written by proxies listed in YIWANG_TRUSTED_PROXIES: the header is read
from right to left (each proxy appends the address it received the request from), and the first hop not
from a trusted proxy is the client. Anything a client writes into the header itself lies further left and
is ignored, so a forged header from an untrusted address changes nothing.
"""

import ipaddress

from django.conf import settings


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


def get_client_ip(request) -> str | None:
    """The client's address as a string, or None when the request carries none."""
    remote = _parse(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    if not _is_trusted(remote):
        return str(remote)
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse(hop)
        if address is None:
            break  # a garbled hop: trust nothing left of it, keep the last proxy-vouched address
        client = address
        if not _is_trusted(address):
            break
    return str(client)
