"""A clerk's first minutes in a real browser: sign in (in Chinese), see who they are, switch language,
see only their own town's centres, and sign out."""

import pytest

from yiwang.areas.models import Centre
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser

LIUHENG = "330903100"
SHENJIAMEN = "330903001"


def test_a_town_clerk_signs_in_sees_their_scope_and_signs_out(demo_tx, page):
    shenjiamen_centre = Centre.objects.filter(area__code__startswith=SHENJIAMEN).first()
    assert shenjiamen_centre is not None, "the demo has a centre in 沈家门"

    page.goto("/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "登录" in page.locator("h1").inner_text()

    sign_in(page, "liuheng_clerk")
    assert page.locator("#grants .role").first.inner_text() == "窗口受理员"
    assert "六横镇" in page.locator("#grants .area").first.inner_text()
    page.screenshot(path="/tmp/yiwang_home_zh.png", full_page=True)

    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert "Window clerk" in page.locator("#grants").inner_text()
    assert "Welcome" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Centres").first.click()
    page.wait_for_url("**/centres/")
    areas = page.locator("table.grid tbody td:nth-child(3) small").all_inner_texts()
    assert areas, "the clerk sees their town's centres"
    assert all(code.startswith(LIUHENG) for code in areas), areas
    assert "沈家门" not in page.locator("table.grid").inner_text()

    response = page.goto(f"/centres/{shenjiamen_centre.pk}/")
    assert response.status == 404

    page.goto("/home/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto("/home/")
    assert "/accounts/login/" in page.url


def test_the_login_page_fits_a_phone(demo_tx, phone_page):
    phone_page.goto("/accounts/login/")
    assert "登录" in phone_page.locator("h1").inner_text()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    phone_page.screenshot(path="/tmp/yiwang_login_phone.png", full_page=True)
