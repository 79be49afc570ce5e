"""The production shape from environment variables: S3 files, a Redis cache, RQ tasks — each only when
configured (the embedded default otherwise), and a half-configured one refused at start."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

SETTINGS = str(Path(__file__).resolve().parents[2] / "settings.py")


def load(monkeypatch, **env) -> dict:
    for name in ("YIWANG_S3_BUCKET", "YIWANG_S3_ENDPOINT", "YIWANG_S3_ACCESS_KEY", "YIWANG_S3_SECRET_KEY",
                 "YIWANG_REDIS_URL", "YIWANG_TASKS", "TASKS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("YIWANG_TESTING", "0")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    return runpy.run_path(SETTINGS)


def test_nothing_configured_is_the_embedded_default(monkeypatch):
    conf = load(monkeypatch)
    assert conf["STORAGES"]["private"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert conf["STORAGES"]["default"] == conf["STORAGES"]["private"]
    assert "CACHES" not in conf  # Django's per-process memory cache
    assert conf["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "django_rq" not in conf["INSTALLED_APPS"]


def test_s3_redis_and_rq_from_the_environment(monkeypatch):
    conf = load(monkeypatch, YIWANG_S3_BUCKET="yiwang-files", YIWANG_S3_ENDPOINT="http://10.0.0.5:8333",
                YIWANG_S3_ACCESS_KEY="key", YIWANG_S3_SECRET_KEY="secret", YIWANG_REDIS_URL="redis://10.0.0.6:6379/0",
                YIWANG_TASKS="rq")
    private = conf["STORAGES"]["private"]
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["OPTIONS"]["bucket_name"] == "yiwang-files" and private["OPTIONS"]["addressing_style"] == "path"
    assert private["OPTIONS"]["default_acl"] is None and private["OPTIONS"]["querystring_auth"]
    assert conf["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert conf["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert conf["RQ_QUEUES"]["default"]["URL"] == "redis://10.0.0.6:6379/0" and "django_rq" in conf["INSTALLED_APPS"]


@pytest.mark.parametrize(("env", "says"), [
    ({"YIWANG_S3_BUCKET": "yiwang-files"}, "YIWANG_S3_ACCESS_KEY"),
    ({"YIWANG_TASKS": "rq"}, "YIWANG_REDIS_URL"),
    ({"YIWANG_TASKS": "celery"}, "YIWANG_TASKS"),
    ({"YIWANG_REDIS_URL": "10.0.0.6:6379"}, "redis://"),
])
def test_a_half_configured_part_stops_the_start(monkeypatch, env, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        load(monkeypatch, **env)
