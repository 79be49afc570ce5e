"""Two-factor sign-in: required (YIWANG_TWO_FACTOR=required) for roles that read personal data in full or
change master data, and for the admin site; optional otherwise; recovery codes good once."""

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from yiwang.accounts import twofactor
from yiwang.audit.models import AuditEvent
from yiwang.testing import PASSWORD

required = override_settings(YIWANG_TWO_FACTOR="required")
# No waiting between tries in tests: django-otp otherwise delays a device after a wrong code.
pytestmark = pytest.mark.usefixtures("no_throttle")


@pytest.fixture
def no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device, steps_ahead=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return totp.token()


def _sign_in(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return client, response


def _enrol(client, username):
    assert client.get("/accounts/two-factor/enrol/").status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post("/accounts/two-factor/enrol/", {"code": f"{_code(device):06d}"})
    assert response.status_code == 200
    return device, response.context["codes"]


def test_the_rule_names_the_roles(demo):
    with required:
        assert twofactor.needs_two_factor(demo.liuheng_clerk)  # pii.view
        assert twofactor.needs_two_factor(demo.putuo_staff)  # masterdata.change
        assert twofactor.needs_two_factor(demo.admin)  # superuser
        assert not twofactor.needs_two_factor(demo.grid_worker)
        assert not twofactor.needs_two_factor(demo.putuo_leader)
    assert not twofactor.needs_two_factor(demo.liuheng_clerk)  # optional mode


@required
def test_a_clerk_enrols_and_signs_in_with_a_code(demo):
    client, response = _sign_in("liuheng_clerk")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/enrol/")
    # Until enrolled, every page sends on to enrolment; the API through the session answers 403.
    assert client.get("/home/")["Location"] == "/accounts/two-factor/enrol/"
    assert client.get("/api/v1/cases/").status_code == 403
    page = client.get("/accounts/two-factor/enrol/").content.decode()
    assert "<svg" in page and "二维码" in page
    device = TOTPDevice.objects.get(user__username="liuheng_clerk", confirmed=False)
    wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000" if _code(device) else "111111"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(confirmed=True).exists()
    response = client.post("/accounts/two-factor/enrol/", {"code": f"{_code(device):06d}"})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    assert client.get("/home/").status_code == 200
    assert AuditEvent.objects.filter(verb="auth.two_factor_enrolled", actor_name="liuheng_clerk").exists()
    # Next sign-in: the password, then a code.
    client, response = _sign_in("liuheng_clerk")
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get("/home/")["Location"] == "/accounts/two-factor/verify/"
    # Enrolling anew needs a verified session: a stolen password cannot replace the device.
    assert client.get("/accounts/two-factor/enrol/")["Location"] == "/accounts/two-factor/verify/"
    assert client.post("/accounts/two-factor/verify/", {"code": "12345"}).status_code == 400
    assert AuditEvent.objects.filter(verb="auth.two_factor_failed", actor_name="liuheng_clerk").exists()
    assert client.get("/home/").status_code == 302
    response = client.post("/accounts/two-factor/verify/", {"code": f"{_code(device, 1):06d}", "next": "/cases/"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    assert client.get("/home/").status_code == 200


@required
def test_a_recovery_code_works_once(demo):
    client, _response = _sign_in("putuo_staff")
    _device, codes = _enrol(client, "putuo_staff")
    first, second = Client(), Client()
    first.post("/accounts/login/", {"username": "putuo_staff", "password": PASSWORD})
    assert first.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302
    assert first.get("/home/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="putuo_staff").count() == 9
    second.post("/accounts/login/", {"username": "putuo_staff", "password": PASSWORD})
    assert second.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 400
    assert second.get("/home/").status_code == 302


@required
def test_roles_without_personal_data_or_master_data_sign_in_with_a_password(demo):
    client, response = _sign_in("grid_worker")
    assert response["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    # The admin site is behind a second factor for everyone.
    staff, _response = _sign_in("putuo_leader")
    assert staff.get("/admin/")["Location"].startswith("/accounts/two-factor/")


@required
def test_the_admin_site_asks_for_the_code(demo):
    client, _response = _sign_in("admin")
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/enrol/"
    _enrol(client, "admin")
    assert client.get("/admin/").status_code == 200


@required
def test_the_token_endpoint_asks_for_a_code_where_two_factor_applies(demo):
    client, _response = _sign_in("putuo_staff")
    device, _codes = _enrol(client, "putuo_staff")
    api = APIClient()
    refused = api.post("/api/v1/token", {"username": "putuo_staff", "password": PASSWORD}, format="json")
    assert refused.status_code == 400 and "otp" in refused.json()
    wrong = api.post("/api/v1/token", {"username": "putuo_staff", "password": PASSWORD, "otp": "000001"}, format="json")
    assert wrong.status_code == 400
    issued = api.post("/api/v1/token", {"username": "putuo_staff", "password": PASSWORD,
                                        "otp": f"{_code(device, 1):06d}"}, format="json")
    assert issued.status_code == 200 and issued.json()["token"]
    # A bank's operator (no personal data in full) still gets a token with the password alone.
    assert api.post("/api/v1/token", {"username": "bank_operator", "password": PASSWORD}).status_code == 200


def test_optional_mode_asks_only_those_who_enrolled(demo):
    client, response = _sign_in("liuheng_clerk")
    assert response["Location"] == "/home/" and client.get("/home/").status_code == 200
    assert "双因素" in client.get("/accounts/security/").content.decode()
    _enrol(client, "liuheng_clerk")
    again, response = _sign_in("liuheng_clerk")
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert again.get("/home/").status_code == 302
