"""Limits hold across app servers once YIWANG_REDIS_URL is set: the public triage endpoint's throttle
counts in Django's RedisCache (a real redis-server), so an address that used up its rate on one app server
is refused by another with its own connection to Redis. (Lock-outs, SMS codes and filings already count
rows in the shared database: django-axes' database handler, OneTimeCode, the audit log.)"""

import pytest
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIClient

from yiwang.triage.api import PublicTriageThrottle

pytestmark = pytest.mark.xdist_group("redis")  # one worker starts the server once

PUBLIC = "/api/v1/triage/public/"


@pytest.fixture
def redis_cache(redis_url, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url,
                                   "KEY_PREFIX": "yiwang"}}
    from django.core.cache import cache

    cache.clear()
    yield redis_url
    cache.clear()


def test_a_rate_used_up_on_one_app_server_is_refused_on_another(db, redis_cache, settings, monkeypatch):
    settings.TRIAGE_PUBLIC_RATE = "2/min"
    # Empty texts: the throttle counts every call before the text is even read.
    first_server = [APIClient().post(PUBLIC, {"text": ""}, format="json").status_code for _ in range(2)]
    assert first_server == [400, 400]
    other_server = RedisCache(redis_cache, {"KEY_PREFIX": "yiwang"})  # its own connection pool
    monkeypatch.setattr(PublicTriageThrottle, "cache", other_server)
    assert APIClient().post(PUBLIC, {"text": ""}, format="json").status_code == 429
