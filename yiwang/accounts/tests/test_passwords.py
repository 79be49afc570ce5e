"""The password policy: at least 12 characters, not a common, demo or keyboard-walk password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from yiwang.testing import PASSWORD


@pytest.mark.parametrize("password", [
    "yiwang-demo", "zxcvbnmasdfg", "qwertyuiopas", "1qaz2wsx3edc", "poiuytrewqlk", "aaaaaaaaaaaaaaaa",
    "password1234", "Short-1a!", "123456789012",
])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Liuheng-2026-new!", "港口的渔船很多很多很多很多", "correct horse battery staple"])
def test_long_uncommon_passwords_pass(password):
    validate_password(password)


def test_the_change_page_refuses_a_keyboard_walk_and_keeps_the_old_password(demo):
    client = Client()
    client.post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD})
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "zxcvbnmasdfg", "new_password2": "zxcvbnmasdfg"})
    assert response.status_code == 200 and "键盘" in response.content.decode()
    assert Client().post("/accounts/login/", {"username": "liuheng_clerk", "password": PASSWORD}).status_code == 302
