"""Signing in and out: the Chinese login page, throttled failures, idle sessions, the demo password."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from rest_framework.test import APIClient

from yiwang.audit.models import AuditEvent
from yiwang.testing import PASSWORD


def test_anonymous_visitor_to_root_gets_the_chinese_login_page(demo):
    response = Client().get("/", follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert '<html lang="zh-hans">' in body and "登录" in body and "密码" in body


def test_english_is_one_switch_away(demo):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in" in body and "Password" in body


def test_sign_in_shows_the_home_page_with_role_and_area(demo):
    client = Client()
    response = client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/home/"
    assert "窗口受理员" in body and "六横镇" in body
    assert AuditEvent.objects.filter(verb="auth.login", actor_name="liuheng_clerk").exists()


def test_sign_out_is_audited_and_ends_the_session(demo):
    client = Client()
    client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD})
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(verb="auth.logout", actor_name="liuheng_clerk").exists()
    assert client.get("/home/").status_code == 302


def test_failed_sign_ins_are_throttled_per_user_and_address(demo):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "liuheng_clerk", "password": "wrong"})
        assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    # The last allowed failure locks the pair out; from then on even the right password is refused.
    assert client.post("/accounts/login/", {"username": "liuheng_clerk", "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # The right password does not get through while locked, through the API either.
    api = APIClient(REMOTE_ADDR="10.1.2.3")
    assert api.post("/api/v1/token", {"username": "liuheng_clerk", "password": PASSWORD}).status_code == 429
    # Another user from the same address, and the same user from elsewhere, are not locked.
    assert Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": "shenjiamen_clerk", "password": PASSWORD}).status_code == 302
    assert Client(REMOTE_ADDR="10.9.9.9").post(
        "/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD}).status_code == 302
    failures = AuditEvent.objects.filter(verb="auth.login_failed", actor_name="liuheng_clerk")
    assert failures.count() >= settings.AXES_FAILURE_LIMIT  # attempts while locked are failures too
    assert set(failures.values_list("ip", flat=True)) == {"10.1.2.3"}
    assert AuditEvent.objects.filter(verb="auth.locked_out", actor_name="liuheng_clerk").exists()


def test_token_endpoint_counts_failures_too(demo):
    api = APIClient(REMOTE_ADDR="10.4.4.4")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post("/api/v1/token", {"username": "putuo_staff", "password": "nope"}).status_code == 400
    assert api.post("/api/v1/token", {"username": "putuo_staff", "password": "nope"}).status_code == 429
    assert api.post("/api/v1/token", {"username": "putuo_staff", "password": PASSWORD}).status_code == 429


def test_sessions_expire_when_idle_and_are_renewed_at_most_once_a_minute(demo):
    from datetime import timedelta

    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD})
        key = client.cookies["sessionid"].value
        signed_in = expiry()
        assert signed_in - timezone.now() == timedelta(minutes=30)
        # Within a minute a page view writes nothing to the session.
        traveller.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/home/").status_code == 200
        assert not [q for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
        assert expiry() == signed_in
        # A minute on, the next request renews the idle clock.
        traveller.shift(timedelta(seconds=2))
        assert client.get("/home/").status_code == 200
        assert expiry() - timezone.now() == timedelta(minutes=30)
        # Past the idle time the session is gone and the user is sent to sign in again.
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/home/")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("debug, allowed", [(True, True), (False, False)])
def test_demo_password_works_only_with_debug_on(demo, debug, allowed):
    from yiwang.accounts.models import User

    user = User.objects.get(username="mediator_wang")
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    with override_settings(DEBUG=debug):
        response = Client().post("/accounts/login/", {"username": "mediator_wang", "password": settings.DEMO_PASSWORD})
        token = APIClient().post("/api/v1/token", {"username": "mediator_wang", "password": settings.DEMO_PASSWORD})
    assert (response.status_code == 302) is allowed
    assert (token.status_code == 200) is allowed
    if not allowed:
        assert "演示密码" in response.content.decode()


def test_password_change_is_audited(demo):
    client = Client()
    client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD})
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Liuheng-2026-new!", "new_password2": "Liuheng-2026-new!"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="auth.password_changed", actor_name="liuheng_clerk").exists()
    again = Client().post("/accounts/login/", {"username": "liuheng_clerk", "password": "Liuheng-2026-new!"})
    assert again.status_code == 302
