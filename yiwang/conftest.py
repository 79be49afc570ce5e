"""Fixtures for every app: a database holding the 普陀区 demo master data and its cast of users."""

import pytest

from yiwang.testing import CAST, PASSWORD, Cast


def _load_demo():
    from yiwang.accounts.models import User
    from yiwang.demo import load_demo

    load_demo()
    for user in User.objects.filter(username__in=CAST):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo master data is loaded once per test database; tests run in transactions above it."""
    with django_db_blocker.unblock():
        _load_demo()


def _demo_cast() -> Cast:
    from yiwang.areas.models import Centre

    if not Centre.objects.filter(code="PT").exists():
        _load_demo()
    return Cast()


@pytest.fixture
def demo(db) -> Cast:
    """The demo master data (reloaded if a transactional test flushed it) and its cast."""
    return _demo_cast()


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

