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


@pytest.fixture
def demo(db) -> Cast:
    """The demo master data (reloaded if a transactional test flushed it) and its cast."""
    from yiwang.areas.models import Centre

    if not Centre.objects.filter(code="PT").exists():
        _load_demo()
    return Cast()


@pytest.fixture
def demo_tx(transactional_db) -> Cast:
    """As `demo`, for tests that need real commits (concurrency, a live server)."""
    from yiwang.areas.models import Centre

    if not Centre.objects.filter(code="PT").exists():
        _load_demo()
    return Cast()


@pytest.fixture
def cast(demo) -> Cast:
    return demo
