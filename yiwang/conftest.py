"""Fixtures for every app: a database holding the 普陀区 master data and its cast of users, no activity.

The test world (yiwang.testing.world) is deterministic: divisions, centres, windows, teams, organisations,
roles, grids and the cast. No case, visit or problem exists until a test makes it with
yiwang.testing.factories, so nothing depends on the demo's random draws or on the time it was loaded.
"""

import pytest

from yiwang.testing import Cast


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The master data is loaded once per test database; tests run in transactions above it."""
    from django.db import connections

    from yiwang.audit.maintenance import install_flush_hook
    from yiwang.testing.world import load_test_world

    for connection in connections.all():
        install_flush_hook(connection)  # the flush between transactional tests may empty the audit log
    with django_db_blocker.unblock():
        load_test_world()


def _demo_cast() -> Cast:
    from yiwang.areas.models import Centre
    from yiwang.testing.world import load_test_world

    if not Centre.objects.filter(code="PT").exists():
        load_test_world()
    return Cast()


@pytest.fixture
def demo(db) -> Cast:
    """The master data (reloaded if a transactional test flushed it) and its cast."""
    return _demo_cast()


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """The whole demo, activity included (random, dated from now), for the tests of the demo itself.

    Loaded once per module inside a transaction that is rolled back after the module's last test; each
    test's own transaction nests inside it. Give such a module its own `pytest.mark.xdist_group` so
    that one worker loads it once. No other test may use this fixture: they build their own data.
    """
    from django.db import transaction

    from yiwang.testing.world import load_full_demo

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_full_demo()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_tx(transactional_db) -> Cast:
    """As `demo`, for tests that need real commits (concurrency, a live server)."""
    return _demo_cast()


@pytest.fixture
def cast(demo) -> Cast:
    return demo


# --- Browser tests: Playwright driving Debian's chromium (never a downloaded browser) -------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}


@pytest.fixture(scope="session")
def browser():
    """One headless chromium per test process (each xdist worker gets its own)."""
    import os
    import shutil

    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: browser tests cannot run (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    # Playwright's sync API keeps an event loop in this thread, so Django thinks every later ORM call in
    # this process comes from async code. The calls are really synchronous: tell Django so.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page_factory(browser, live_server):
    """`page_factory(phone=False)` opens a fresh browser context (own cookies) on the live server.

    Desktop by default; `phone=True` is a 390×844 touch phone. Both speak zh-CN, as the users do.
    Use with `demo_tx` (the live server's thread needs committed data).
    """
    contexts = []

    def open_page(*, phone: bool = False, locale: str = "zh-CN"):
        options = dict(PHONE) if phone else {"viewport": {"width": 1280, "height": 900}}
        context = browser.new_context(base_url=live_server.url, locale=locale, **options)
        context.set_default_timeout(10_000)  # a broken page fails the test instead of hanging it
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(page_factory):
    """A desktop page on the live server."""
    return page_factory()


@pytest.fixture
def phone_page(page_factory):
    """A phone page (390×844, touch, zh-CN) on the live server."""
    return page_factory(phone=True)



# --- Real servers of the production shape (yiwang.testing.servers), started once per session on demand --
# A module using one groups itself (pytest.mark.xdist_group("s3") or ("redis")) so one worker starts it.


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """A SeaweedFS S3 server with one private bucket (yiwang.testing.servers.S3Server)."""
    from yiwang.testing.servers import seaweedfs

    with seaweedfs(tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A redis-server without persistence; its redis:// URL."""
    from yiwang.testing.servers import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
