"""The project's own password list: the demo's password and keyboard walks that Django's common-password
list misses (`zxcvbnmasdfg`). Checked after Django's MinimumLengthValidator (12) and CommonPasswordValidator."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Rows of the keyboard, as people walk them; a password made only of one walk (or a repeat) is refused.
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz", "2wsx", "3edc", "4rfv", "5tgb",
                 "6yhn", "7ujm", "8ik", "9ol")
PROJECT_PASSWORDS = {
    "yiwang-demo", "yiwangdemo", "yiwang123456", "yiwang-password", "putuo123456", "zhoushan123456",
    "password1234", "admin1234567", "administrator", "qwertyuiopas", "zxcvbnmasdfg", "asdfghjklzxc",
    "1qaz2wsx3edc", "qwer1234asdf", "a1b2c3d4e5f6",
}


def _stretches() -> set[str]:
    """Every stretch of two or more keys along a keyboard row, forwards and backwards."""
    found = set()
    for row in KEYBOARD_ROWS:
        for text in (row, row[::-1]):
            for i in range(len(text)):
                for j in range(i + 2, len(text) + 1):
                    found.add(text[i:j])
    return found


STRETCHES = _stretches()


def is_keyboard_walk(password: str) -> bool:
    """Whether `password` is made wholly of keyboard-row stretches (zxcvbnm + asdfg), or of at most two
    distinct characters."""
    value = password.lower()
    if len(set(value)) <= 2:
        return True
    # reachable[i]: the first i characters split into stretches.
    reachable = [True] + [False] * len(value)
    for i in range(len(value)):
        if reachable[i]:
            for j in range(i + 2, len(value) + 1):
                if value[i:j] in STRETCHES:
                    reachable[j] = True
    return reachable[len(value)]


class ProjectPasswordValidator:
    """Refuses the demo password, the project's list, and keyboard walks."""

    def validate(self, password, user=None):
        value = password.lower().strip()
        if value in PROJECT_PASSWORDS or is_keyboard_walk(value):
            raise ValidationError(_("This password is too easy to guess (a demo password or a keyboard walk)."),
                                  code="password_too_common")

    def get_help_text(self):
        return _("Your password cannot be a demo password or a run of neighbouring keys (a keyboard walk).")
