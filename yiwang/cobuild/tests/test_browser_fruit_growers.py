"""The 六横 fruit growers' story on a phone: a community worker posts the demand after the typhoon, the
区司法局 claims it, the community confirms, the unit reports the sales fair with a photo, the community
closes it, and a resident rates it on the community's public page with a code sent to their phone."""

import re

import pytest

from yiwang.accounts.models import User
from yiwang.cobuild.demo import first_liuheng_village, load_accounts
from yiwang.cobuild.models import Demand
from yiwang.testing import PASSWORD
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser
PHONE = "13905806666"


def _photo(tmp_path):
    from PIL import Image

    path = tmp_path / "推销会.png"
    Image.new("RGB", (40, 30), (240, 160, 40)).save(path, "PNG")
    return str(path)


def _as(page_factory, username):
    page = page_factory(phone=True)
    sign_in(page, username)
    return page


def test_the_fruit_growers_demand_from_post_to_rating(demo_tx, page_factory, tmp_path, sms):
    load_accounts()
    for user in User.objects.filter(username__in=["liuheng_community", "unit_liaison"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])

    worker = _as(page_factory, "liuheng_community")
    worker.goto("/cobuild/")
    worker.click("#post-demand")
    worker.fill("input[name=title]", "锦绣瓜果合作社水果滞销")
    worker.fill("textarea[name=description]", "台风后果树倾倒，水果滞销，需要推销会和网上直播。")
    worker.select_option("select[name=category]", "produce")
    worker.fill("input[name=size]", "40")
    worker.fill("input[name=needed_from]", "2026-03-01")
    worker.fill("input[name=needed_until]", "2026-04-30")
    worker.fill("input[name=contact_name]", "陈先生")
    worker.fill("input[name=contact_phone]", "13805801234")
    worker.click("#demand-form button[type=submit]")
    worker.wait_for_url(re.compile(r"/cobuild/demands/\d+/$"))
    assert "待认领" in worker.locator("#state").inner_text()
    demand = Demand.objects.get(title="锦绣瓜果合作社水果滞销")
    url = f"/cobuild/demands/{demand.pk}/"

    unit = _as(page_factory, "unit_liaison")
    unit.goto(url)
    assert "138****1234" in unit.content()  # the contact stays masked until the claim is confirmed
    unit.click("#step-claim button[type=submit]")
    unit.wait_for_load_state()
    assert "舟山市普陀区司法局" in unit.locator("#claimed-by").inner_text()

    worker.goto(url)
    worker.click("#step-confirm button[type=submit]")
    worker.wait_for_load_state()
    assert "实施中" in worker.locator("#state").inner_text()

    unit.goto(url)
    assert "13805801234" in unit.content()
    unit.fill("#step-report textarea[name=report]", "举办农产品推销会并组织网上直播，售出水果三千斤。")
    unit.set_input_files("#step-report input[name=photos]", _photo(tmp_path))
    unit.click("#step-report button[type=submit]")
    unit.wait_for_load_state()
    assert "售出水果三千斤" in unit.locator("#report").inner_text()
    assert unit.locator("section.card img").count() == 1

    worker.goto(url)
    worker.click("#step-close button[type=submit]")
    worker.wait_for_load_state()
    assert "已办结" in worker.locator("#state").inner_text()
    worker.screenshot(path="/tmp/yiwang_cobuild_closed.png", full_page=True)

    resident = page_factory(phone=True)
    resident.goto(f"/cobuild/rate/{first_liuheng_village().code}/")
    resident.fill("#send-code input[name=phone]", PHONE)
    resident.click("#send-code button[type=submit]")
    resident.wait_for_load_state()
    code = re.search(r"\d{6}", [text for phone, text in sms if phone == PHONE][-1]).group()
    resident.select_option("#rate-form select[name=score]", "5")
    resident.fill("#rate-form input[name=comment]", "推销会办得及时")
    resident.fill("#rate-form input[name=code]", code)
    resident.click("#rate-form button[type=submit]")
    resident.wait_for_load_state()
    ratings = resident.locator("#ratings").inner_text()
    assert "推销会办得及时" in ratings and "139****6666" in ratings
    resident.screenshot(path="/tmp/yiwang_cobuild_rated.png", full_page=True)
