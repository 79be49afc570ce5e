"""Each kind of user signs in, lands on a home page that is their work, and reaches their most common task
from it in at most three clicks, in a real browser (the grid worker on a 390×844 phone).

One browser, one world: the users are this test's own (factories.make_user, not the cast), their work made
by the actions; each kind of user is a subtest, so one failing home does not hide another's. Every home is
photographed on a desktop and at 390 px (/tmp/yiwang_home_<kind>_{desktop,phone}.png)."""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from yiwang.testing import factories as f
from yiwang.testing.browser import sign_in

pytestmark = pytest.mark.browser

AGRICULTURE = "舟山市普陀区农业农村局"
JUSTICE = "舟山市普陀区司法局"
BANK = "浙江普陀农村商业银行"
COURT = "舟山市普陀区人民法院"
MAX_CLICKS = 3


@dataclass
class Journey:
    """A kind of user: who they are, the clicks from home (selectors, in order) and where they must land
    (a URL pattern, and a selector that shows the task is open there)."""

    user: object
    clicks: list[str]
    lands: str
    task: str
    phone: bool = False
    shows: list[str] = field(default_factory=list)  # texts the home must show


def _liuheng_grid():
    from yiwang.grids.models import Grid

    return Grid.objects.filter(area_id=f.village(f.LIUHENG)).order_by("code").first()


def _journeys() -> dict[str, Journey]:
    """The users and their work, built through the actions."""
    from yiwang.cobuild.actions import do_post_demand
    from yiwang.cobuild.demo import sync_roles
    from yiwang.maritime import actions as sea

    sync_roles()  # the co-building roles (a flush between transactional tests removes them)
    liuheng = f.village(f.LIUHENG)
    grid = _liuheng_grid()

    mediator = f.make_user("mediator", team="区人民调解团队")
    case = f.make_case("assigned", mediator=mediator)
    staff = f.make_user("centre_staff", area="330903", centre="PT")
    to_assign = f.make_case("accepted", by="putuo_clerk", area=f.village("330903001"))
    town_staff = f.make_user("centre_staff", area=f.LIUHENG)
    reported = f.report_problem(grid, description="路灯损坏，夜间通行不便")
    unit = f.make_user("partner_unit", organisation=AGRICULTURE)
    dispatched = f.advance_problem(f.report_problem(grid, category="livelihood", description="台风后柑橘滞销"),
                                   "dispatched", unit=AGRICULTURE, handler=unit)
    community = f.make_user("cobuild_community", area=liuheng)
    today = timezone.localdate()
    demand = do_post_demand(by=community, area=grid.area, title="老年食堂缺志愿者", description="每天午餐需要两名志愿者。",
                            category="elderly", size=2, needed_from=today, needed_until=today + dt.timedelta(days=30),
                            contact_name="陈女士", contact_phone="13805801234")
    liaison = f.make_user("court_liaison", organisation=COURT)
    sea_mediator = f.make_user("mediator", team="海事渔事纠纷调解团队")
    boat = sea.do_register_vessel(by=f.user("putuo_staff"), name="浙普渔99001", kind="trawler", mmsi="413990001",
                                  owner_name="欧阳船东", owner_phone="13960000001")
    sea.do_register_maritime_case(by=f.user("putuo_staff"), facts="拖网作业时缠坏对方刺网。", claims="赔偿网具损失。",
                                  applicants=[f.applicant()], incident_kind="gear_damage", latitude="29.951",
                                  longitude="122.301", vessels=[boat])
    return {
        "grid_worker": Journey(f.make_user("grid_worker", area=liuheng), ["#log-visit"], "**/grids/visits/new/?grid=*",
                               "select[name=grid]", phone=True, shows=["本周走访", "登记走访"]),
        "mediator": Journey(mediator, [f'#my-cases a[href="/cases/{case.pk}/"]'], f"**/cases/{case.pk}/",
                            "#action-start_mediation", shows=[case.number]),
        "window_clerk": Journey(f.make_user("window_clerk", area=f.LIUHENG), ["#register-case"], "**/cases/new/",
                                "form textarea[name=facts]"),
        "district_window_clerk": Journey(f.make_user("window_clerk", area="330903", centre="PT"), ["#register-case"],
                                         "**/cases/new/", "form textarea[name=facts]"),
        "centre_staff": Journey(staff, ["#to-assign", f'a[href="/cases/{to_assign.pk}/"]'], f"**/cases/{to_assign.pk}/",
                                "#action-assign"),
        "town_staff": Journey(town_staff, ["#grid-to-accept", f'a[href="/grids/problems/{reported.pk}/"]'],
                              f"**/grids/problems/{reported.pk}/", "#step-accept"),
        "leader": Journey(f.make_user("leader"), ["#stats-tile"], "**/stats/330903/**", "main h1",
                          shows=["领导驾驶舱"]),
        "bank_operator": Journey(f.make_user("bank_operator", organisation=BANK), ["#finance-tile"], "**/finance/**",
                                 "form input[type=file][name=file]", shows=[BANK]),
        "court_liaison": Journey(liaison, ["#court-queue"], "**/cases/court/", "main h1", shows=[COURT]),
        "partner_unit": Journey(unit, [f'#grid-in-hand a[href="/grids/problems/{dispatched.pk}/"]'],
                                f"**/grids/problems/{dispatched.pk}/", "#step-sign_for", shows=[AGRICULTURE]),
        "cobuild_unit": Journey(f.make_user("cobuild_unit", organisation=JUSTICE),
                                [f'#cobuild-work a[href="/cobuild/demands/{demand.pk}/"]'],
                                f"**/cobuild/demands/{demand.pk}/", "#step-claim"),
        "maritime_mediator": Journey(sea_mediator, ["#sea-tile"], "**/maritime/", "main .sea-map-wrap"),
    }


ENGLISH = re.compile(r"\b[A-Za-z]{4,}\b")
ALLOWED = {"yiwang", "Open311", "SVG", "API", "PDF"}


def _english_words(page) -> set[str]:
    return {w for w in ENGLISH.findall(page.locator("main").inner_text()) if w not in ALLOWED}


def test_each_kind_of_user_reaches_its_most_common_task_from_home_in_three_clicks(demo_tx, page_factory, subtests):
    journeys = _journeys()
    for kind, journey in journeys.items():
        with subtests.test(kind=kind):
            assert len(journey.clicks) <= MAX_CLICKS
            page = page_factory(phone=journey.phone)
            sign_in(page, journey.user.username)
            page.wait_for_load_state("domcontentloaded")
            home = page.locator("main").inner_text()
            for text in journey.shows:
                assert text in home, f"{kind}: the home does not show {text!r}"
            assert not _english_words(page), f"{kind}: English on the home: {_english_words(page)}"
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], f"{kind}: the home scrolls sideways ({width}px)"
            size = "phone" if journey.phone else "desktop"
            page.screenshot(path=f"/tmp/yiwang_home_{kind}_{size}.png", full_page=True)
            if not journey.phone:  # the same home at 390 px
                page.set_viewport_size({"width": 390, "height": 844})
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390, f"{kind}: the home scrolls sideways at 390 px ({width}px)"
                page.screenshot(path=f"/tmp/yiwang_home_{kind}_phone.png", full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})
            for selector in journey.clicks:
                page.locator(selector).first.click()
                page.wait_for_load_state("domcontentloaded")
            page.wait_for_url(journey.lands)
            assert page.locator(journey.task).count(), f"{kind}: {journey.task} is not on {page.url}"
            page.context.close()
