"""Helpers shared by every app's tests: the cast of named users and scope assertions."""

from dataclasses import dataclass

from django.test import Client

from yiwang.accounts.models import User

# The demo accounts are the cast: each test names the person acting, e.g. cast.liuheng_clerk.
CAST = [
    "admin", "putuo_leader", "putuo_staff", "putuo_clerk", "shenjiamen_clerk", "liuheng_clerk", "mediator_wang",
    "maritime_mediator", "grid_worker", "bank_operator", "court_liaison", "agriculture_unit", "justice_unit",
]
PASSWORD = "cast-password-for-tests"


def issue_test_token(user, *, days: int = 1) -> str:
    """A live API token for `user` (stored hashed, as the token endpoint's), without an audit line: the key."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from yiwang.accounts.actions import hash_key
    from yiwang.accounts.models import ApiToken

    key = secrets.token_hex(32)
    ApiToken.objects.create(user=user, name=f"test-{key[:6]}", digest=hash_key(key), prefix=key[:8],
                            expires_at=timezone.now() + timedelta(days=days))
    return key


@dataclass
class Cast:
    """The demo's named users, read fresh from the database."""

    def __getattr__(self, username: str) -> User:
        if username.startswith("_"):
            raise AttributeError(username)
        return User.objects.get(username=username)

    def client(self, username: str) -> Client:
        """A web client signed in as `username`."""
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    def api(self, username: str):
        """An API client authenticated with `username`'s token."""
        from rest_framework.test import APIClient

        key = issue_test_token(User.objects.get(username=username))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client


def assert_not_found_for(client, url: str) -> None:
    """Out of scope must look exactly like missing: a 404, whatever the method."""
    response = client.get(url)
    assert response.status_code == 404, f"{url} answered {response.status_code}, expected 404"
