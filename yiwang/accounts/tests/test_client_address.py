"""Behind the reverse proxy: the client's address comes from X-Forwarded-For, only as far as trusted proxies
wrote it (yiwang.core.network.get_client_ip), and every address-based control reads it from there."""

import ipaddress

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from yiwang.audit.models import AuditEvent
from yiwang.core.network import get_client_ip
from yiwang.testing import PASSWORD

PROXIES = [ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("10.0.1.0/24")]
behind_proxy = override_settings(TRUSTED_PROXY_NETWORKS=PROXIES)


def _ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return get_client_ip(RequestFactory().get("/", **meta))


@behind_proxy
@pytest.mark.parametrize("remote, forwarded, client", [
    ("203.0.113.7", None, "203.0.113.7"),                       # no proxy in between
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),             # forged header from an untrusted address: ignored
    ("10.0.0.5", "198.51.100.1", "198.51.100.1"),               # the trusted proxy's hop
    ("10.0.0.5", "6.6.6.6, 198.51.100.1", "198.51.100.1"),      # the client's own forged hop lies further left
    ("10.0.0.5", "6.6.6.6, 198.51.100.1, 10.0.1.9", "198.51.100.1"),  # two trusted proxies, read right to left
    ("10.0.0.5", "not-an-address", "10.0.0.5"),                 # garbled: nothing left of it is believed
    ("10.0.0.5", "", "10.0.0.5"),
    ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
])
def test_forwarded_for_is_believed_only_from_listed_proxies(remote, forwarded, client):
    assert _ip(remote, forwarded) == client


def test_without_trusted_proxies_the_header_is_ignored():
    assert settings.TRUSTED_PROXY_NETWORKS == []
    assert _ip("10.0.0.5", "198.51.100.1") == "10.0.0.5"


@behind_proxy
def test_the_lock_out_and_the_audit_see_the_client_behind_the_proxy(demo):
    attacker = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/accounts/login/", {"username": "liuheng_clerk", "password": "wrong"})
    assert attacker.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD}).status_code == 429
    # The same user through the same proxy from another client is not locked out: one attacker cannot lock
    # anyone out for everybody behind the proxy.
    citizen = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert citizen.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD}).status_code == 302
    assert set(AuditEvent.objects.filter(verb="auth.login_failed").values_list("ip", flat=True)) == {"198.51.100.66"}
    assert AuditEvent.objects.filter(verb="auth.login", ip="198.51.100.20").exists()


@behind_proxy
def test_a_forged_header_from_an_untrusted_address_does_not_dodge_the_lock_out(demo):
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").post(
            "/accounts/login/", {"username": "putuo_staff", "password": "wrong"})
    locked = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert locked.post("/accounts/login/", {"username": "putuo_staff", "password": PASSWORD}).status_code == 429


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_password_spraying_from_one_address_is_limited(demo):
    names = ["liuheng_clerk", "shenjiamen_clerk", "putuo_staff"]
    for name in names:  # one try each: no single name reaches its own limit
        response = Client(REMOTE_ADDR="10.7.7.7").post("/accounts/login/", {"username": name, "password": "Spring2026!"})
        assert response.status_code == 200
    sprayed = Client(REMOTE_ADDR="10.7.7.7").post("/accounts/login/", {"username": "mediator_wang", "password": PASSWORD})
    assert sprayed.status_code == 429
    token = APIClient(REMOTE_ADDR="10.7.7.7").post("/api/v1/token", {"username": "mediator_wang", "password": PASSWORD})
    assert token.status_code == 429 and token["Content-Type"] == "application/json"
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.8.8.8").post(
        "/accounts/login/", {"username": "mediator_wang", "password": PASSWORD}).status_code == 302


@behind_proxy
def test_the_audit_origin_and_so_the_public_filing_limit_read_the_client():
    # The 解纷码 filing limit and the status look-up limit count audit rows by the origin's address.
    from yiwang.audit.context import origin_from_request

    request = RequestFactory().post("/jf/PT/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert origin_from_request(request).ip == "198.51.100.3"
    forged = RequestFactory().post("/jf/PT/", REMOTE_ADDR="203.0.113.4", HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert origin_from_request(forged).ip == "203.0.113.4"
