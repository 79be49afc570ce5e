"""The URL walk's rules for the accounts app's security pages (see yiwang/core/tests/test_url_walk.py).

A token is its owner's alone: everyone else (a superuser included) gets 404 on revoking it, as for a
missing one, and the token stays live."""

from yiwang.core.tests.urlwalk import Missing, Rule

TOKENS = lambda w: w["api_tokens"]  # noqa: E731


def own(user, token) -> bool:
    return not isinstance(token, Missing) and user is not None and token.user_id == user.pk


def _revoked(token):
    from yiwang.accounts.models import ApiToken

    return ApiToken.objects.get(pk=token.pk).revoked_at


def build(world) -> dict:
    """One live token each for the mediator and the district staff."""
    from yiwang.accounts.models import User
    from yiwang.testing import issue_test_token

    users = [User.objects.get(username=name) for name in ("mediator_wang", "putuo_staff")]
    for user in users:
        issue_test_token(user)
    return {"api_tokens": [user.api_tokens.first() for user in users]}


RULES = {
    "accounts:security": Rule("page", why="my own two-factor state and API tokens"),
    "accounts:revoke_token": Rule("post", objects=TOKENS, kwargs=lambda t: {"pk": t.pk}, sees=own, version=_revoked,
                                  why="POST only: revoke one of my own tokens"),
    "accounts:two_factor_enrol": Rule("page", why="set up my authenticator (a QR code)"),
    "accounts:two_factor_verify": Rule("page", ok=(302,), why="no device enrolled yet: sent on to enrol"),
}
