"""API tokens: several per user, each named, stored hashed and shown once, expiring, revoked by the user or
by a password change, their last use recorded; the old REST framework tokens carried over."""

from datetime import timedelta

from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from yiwang.accounts.actions import hash_key
from yiwang.accounts.models import ApiToken
from yiwang.testing import PASSWORD


def _token(name="bank-batch", username="bank_operator", **extra):
    response = APIClient().post("/api/v1/token", {"username": username, "password": PASSWORD, "name": name, **extra},
                                format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_several_named_tokens_stored_hashed(demo):
    first, second = _token("bank-batch"), _token("bank-core")
    assert first["token"] != second["token"]
    stored = ApiToken.objects.filter(user__username="bank_operator").order_by("name")
    assert [t.name for t in stored] == ["bank-batch", "bank-core"]
    assert stored[0].digest == hash_key(first["token"]) and first["token"] not in stored[0].digest
    assert not ApiToken.objects.filter(digest=first["token"]).exists()
    for key in (first["token"], second["token"]):
        assert _api(key).get("/api/v1/cases/").status_code == 200
    # Asking again for the same name replaces that token only.
    again = _token("bank-batch")
    assert _api(first["token"]).get("/api/v1/cases/").status_code == 401
    assert _api(again["token"]).get("/api/v1/cases/").status_code == 200
    assert _api(second["token"]).get("/api/v1/cases/").status_code == 200


def test_last_use_is_recorded(demo):
    key = _token()["token"]
    assert ApiToken.objects.get(digest=hash_key(key)).last_used_at is None
    _api(key).get("/api/v1/cases/")
    assert ApiToken.objects.get(digest=hash_key(key)).last_used_at is not None


@override_settings(YIWANG_TOKEN_DAYS=7)
def test_an_expired_token_answers_401(demo):
    answer = _token()
    token = ApiToken.objects.get(digest=hash_key(answer["token"]))
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _api(answer["token"]).get("/api/v1/cases/")
    assert response.status_code == 401 and "过期" in response.json()["detail"]


def test_the_user_revokes_a_token_on_their_page(demo):
    key = _token()["token"]
    token = ApiToken.objects.get(digest=hash_key(key))
    page = demo.client("bank_operator")
    assert "bank-batch" in page.get("/accounts/security/").content.decode()
    # Someone else cannot revoke it: 404, and it keeps working.
    assert demo.client("putuo_staff").post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert _api(key).get("/api/v1/cases/").status_code == 200
    assert page.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    response = _api(key).get("/api/v1/cases/")
    assert response.status_code == 401 and "吊销" in response.json()["detail"]


def test_a_token_issued_on_the_page_is_shown_once(demo):
    page = demo.client("bank_operator")
    body = page.post("/accounts/security/", {"name": "core-banking"}).content.decode()
    token = ApiToken.objects.get(user__username="bank_operator", name="core-banking")
    key = body.split('id="new-token">')[1].split("<")[0]
    assert hash_key(key) == token.digest and _api(key).get("/api/v1/cases/").status_code == 200
    assert key not in page.get("/accounts/security/").content.decode()
    # A blank or duplicate name is refused and issues nothing.
    assert page.post("/accounts/security/", {"name": "core-banking"}).status_code == 400
    assert page.post("/accounts/security/", {"name": " "}).status_code == 400
    assert ApiToken.objects.filter(user__username="bank_operator").count() == 1


def test_a_password_change_revokes_every_token(demo):
    keys = [_token("bank-batch")["token"], _token("bank-core")["token"]]
    client = Client()
    client.post("/accounts/login/", {"username": "bank_operator", "password": PASSWORD})
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Harbour-Lights-2026!", "new_password2": "Harbour-Lights-2026!"})
    assert response.status_code == 302
    for key in keys:
        assert _api(key).get("/api/v1/cases/").status_code == 401


def test_unknown_and_garbled_tokens_answer_401(demo):
    assert _api("0" * 64).get("/api/v1/cases/").status_code == 401
    assert _api("").get("/api/v1/cases/").status_code == 401


def test_the_locked_token_endpoint_answers_json_429(demo):
    from django.conf import settings

    api = APIClient(REMOTE_ADDR="10.5.5.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/token", {"username": "bank_operator", "password": "nope"})
    response = api.post("/api/v1/token", {"username": "bank_operator", "password": PASSWORD})
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_the_old_rest_framework_tokens_are_hashed_and_keep_working(demo):
    """A database from before the hashed tokens still has rest_framework.authtoken's table (the app is no
    longer installed): the migration hashes its keys into ApiTokens and empties it."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp, user_id bigint)')
        cursor.execute('INSERT INTO authtoken_token ("key", created, user_id) VALUES (%s, %s, %s)',
                       [key, timezone.now(), demo.court_liaison.pk])
    migration = importlib.import_module("yiwang.accounts.migrations.0004_api_tokens")
    migration.hash_drf_tokens(apps, SimpleNamespace(connection=connection))  # all it uses of a schema editor
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    token = ApiToken.objects.get(user=demo.court_liaison)
    assert token.digest == hash_key(key) and token.expires_at > timezone.now()
    assert _api(key).get("/api/v1/cases/").status_code == 200


def test_a_fresh_database_has_no_rest_framework_token_app(db):
    from django.apps import apps
    from django.contrib import admin

    assert not apps.is_installed("rest_framework.authtoken")
    assert not [m for m in admin.site._registry if m._meta.app_label == "authtoken"]
