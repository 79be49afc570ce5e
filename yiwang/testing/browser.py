"""Helpers for browser tests (the fixtures `browser`, `page`, `phone_page`, `page_factory` are in conftest)."""

from yiwang.testing import PASSWORD


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a person would, and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/home/")
