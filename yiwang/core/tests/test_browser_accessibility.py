"""Each role's main page passes axe-core's WCAG 2.1 AA rules, on a desktop and on a 390×844 phone.

One browser, one context per role and size, signed in by a session cookie (no login form per page).
axe-core comes bundled with axe-playwright-python: nothing is fetched at run time.
"""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# role → its main pages ("" signs nobody in: the citizen's filing page)
PAGES = {
    "": ["/jf/PT/"],
    "putuo_leader": ["/home/", "/stats/330903/meeting/"],
    "putuo_clerk": ["/home/", "/cases/new/"],
    "mediator_wang": ["/home/", "/cases/"],
    "grid_worker": ["/home/"],
    "bank_operator": ["/home/"],
    "court_liaison": ["/home/"],
}


def _cookie(username: str, url: str) -> list[dict]:
    from yiwang.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "url": url}]


def test_every_roles_main_page_passes_wcag_21_aa_on_desktop_and_phone(demo_tx, browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from yiwang.conftest import PHONE

    axe, found = Axe(), []
    for username, paths in PAGES.items():
        for size, options in (("desktop", {"viewport": {"width": 1280, "height": 800}}), ("phone", dict(PHONE))):
            context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
            context.set_default_timeout(60_000)  # a loaded CI machine; a broken page still fails
            if username:
                context.add_cookies(_cookie(username, live_server.url))
            page = context.new_page()
            for path in paths:
                page.goto(path)
                result = axe.run(page, options=WCAG_21_AA)
                for violation in result.response["violations"]:
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    found.append(f"{username or 'citizen'} {size} {path}: {violation['id']} {targets}")
            context.close()
    assert not found, "\n".join(found)
