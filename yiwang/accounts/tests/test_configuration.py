"""Configuration comes from the environment; unsafe production settings are refused loudly."""

import os
import subprocess
import sys

import pytest

CHECK = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='yiwang.settings'; django.setup(); print('ok')"


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "YIWANG_TESTING"}}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", CHECK], env=clean, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "0"}, "SECRET_KEY (or SECRET_KEY_FILE) must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "too short"),
        ({"DEBUG": "1", "ALLOWED_HOSTS": "yiwang.example.gov.cn"}, "DEBUG is on while ALLOWED_HOSTS"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "SESSION_IDLE_MINUTES": "soon"}, "is not a whole number"),
        ({"DEBUG": "1", "YIWANG_DISTRICT": "3309"}, "YIWANG_DISTRICT must be a six-digit"),
        ({"DEBUG": "1", "YIWANG_DISTRICT": "33090a"}, "YIWANG_DISTRICT must be a six-digit"),
        ({"DEBUG": "1", "YIWANG_DISTRICT": "３３０９０３"}, "YIWANG_DISTRICT must be a six-digit"),  # full-width
    ],
)
def test_unsafe_or_malformed_settings_refuse_to_start(env, message):
    result = run_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_demo_and_a_production_configuration_start(tmp_path):
    assert run_settings(DEBUG="1").stdout.strip() == "ok"
    secret = tmp_path / "secret"
    secret.write_text("a-long-random-production-secret-0123456789abcdef\n")
    result = run_settings(DEBUG="0", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="yiwang.example.gov.cn")
    assert result.stdout.strip() == "ok", result.stderr


def test_the_yiwang_command_lists_the_operator_commands():
    yiwang = os.path.join(os.path.dirname(sys.executable), "yiwang")
    result = subprocess.run([yiwang, "help"], env=dict(os.environ, DEBUG="1"), capture_output=True, text=True,
                            timeout=60)
    for command in ("load_divisions", "demo", "migrate", "db_worker"):
        assert command in result.stdout


def test_the_demo_command_refuses_to_run_with_debug_off():
    yiwang = os.path.join(os.path.dirname(sys.executable), "yiwang")
    result = subprocess.run([yiwang, "demo"], capture_output=True, text=True, timeout=60,
                            env=dict(os.environ, DEBUG="0", DATABASE_URL="sqlite:///:memory:"))
    assert result.returncode != 0 and "only with DEBUG=1" in result.stderr
