"""Headers and deployment (issue 18): a Content-Security-Policy on every page, HTTPS switched on by one
variable, `check --deploy` clean with the production variables, no Server banner from the application,
and the API's schema and docs behind sign-in when DEBUG is off. (The URL walk checks every page for the
policy and for inline script: yiwang.core.tests.urlwalk.csp_problems.)"""

import base64
import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from yiwang.core.tests.urlwalk import csp_problems

ROOT = Path(__file__).resolve().parents[3]


def test_pages_carry_a_policy_that_allows_only_the_sites_own_scripts(cast):
    for client, url in ((cast.client("putuo_clerk"), "/home/"), (cast.client("putuo_clerk"), "/cases/new/"),
                        (cast.client("putuo_clerk"), "/api/v1/docs/"), (cast.client("putuo_clerk"), "/api/v1/redoc/")):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert csp_problems(response) == [], url


def test_the_application_sends_no_server_banner(cast):
    for response in (cast.client("putuo_clerk").get("/home/"), cast.api("putuo_clerk").get("/api/v1/cases/")):
        assert "Server" not in response.headers and "X-Powered-By" not in response.headers


def test_the_api_schema_and_docs_need_sign_in_when_debug_is_off(cast):
    from django.test import Client

    anonymous = Client()
    assert anonymous.get("/api/v1/openapi.json").status_code in (401, 403)
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert cast.api("bank_operator").get("/api/v1/openapi.json").status_code == 200


@pytest.fixture
def reload_settings(monkeypatch):
    """The settings module executed again under other variables (django.conf.settings is not touched)."""
    import yiwang.settings

    def load(**variables):
        for name in ("YIWANG_HTTPS", "SECURE_COOKIES", "YIWANG_HSTS_PRELOAD"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(yiwang.settings)

    yield load
    monkeypatch.undo()
    importlib.reload(yiwang.settings)


def test_https_is_switched_on_by_one_variable(reload_settings):
    plain = reload_settings()
    assert (plain.SECURE_SSL_REDIRECT, plain.SECURE_HSTS_SECONDS, plain.SESSION_COOKIE_SECURE) == (False, 0, False)
    https = reload_settings(YIWANG_HTTPS="1")
    assert https.SECURE_SSL_REDIRECT and https.SECURE_HSTS_SECONDS >= 31536000 and https.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert https.SESSION_COOKIE_SECURE and https.CSRF_COOKIE_SECURE and not https.SECURE_HSTS_PRELOAD
    assert reload_settings(YIWANG_HTTPS="1", YIWANG_HSTS_PRELOAD="1").SECURE_HSTS_PRELOAD


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("YIWANG_", "DJANGO_"))}
    env.update({
        "DEBUG": "0", "SECRET_KEY": "production-like-secret-" + "k3y" * 16, "ALLOWED_HOSTS": "yiwang.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://yiwang.example.gov.cn", "YIWANG_HTTPS": "1", "BEHIND_TLS_PROXY": "1",
        "YIWANG_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # Production has its data keys (without them the data-at-rest check refuses to start, rightly).
        "YIWANG_DATA_KEYS": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "YIWANG_DATA_HMAC_KEYS": "h1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
    })
    result = subprocess.run([sys.executable, "-m", "yiwang", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
