"""In a real browser: a window clerk types a dispute the way the caller told it, sees the three likeliest
types with their confidence, takes the first, ticks the dialect the applicant speaks, registers, accepts
the case, and finds on the case page the mediator who knows the type and speaks the dialect first."""

import re

import pytest

from yiwang.areas.models import Area, DisputeType
from yiwang.cases.models import Case
from yiwang.testing import factories as f
from yiwang.testing.browser import sign_in
from yiwang.triage import model
from yiwang.triage.models import CaseLanguage, Language, MediatorProfile

pytestmark = pytest.mark.browser

STORY = ("我是六横台门村的，隔壁老李家上个月把围墙砌到两家中间那条路上了，我家三轮车推都推不进来，"
         "跟他讲了好几次他都不睬我，村里也来看过，还是不拆")


def test_a_clerk_takes_the_suggested_type_and_sees_the_recommended_mediator(demo_tx, page):
    model.get_classifier()  # built (or loaded) before the page asks, as an installed system has it
    wang = MediatorProfile.objects.create(mediator=f.user("mediator_wang"), home_area=Area.objects.get(code="330903100"))
    wang.dispute_types.add(DisputeType.objects.get(code="neighbourhood"))
    wang.languages.add(Language.objects.get(code="putuo"))

    sign_in(page, "liuheng_clerk")
    page.goto("/cases/new/")
    page.select_option("select[name=area]", index=2)  # a village of 六横镇
    page.fill("textarea[name=facts]", STORY)
    page.fill("textarea[name=claims]", "叫他把围墙拆掉，把路让出来")
    choices = page.locator(".triage-suggest button.triage-choice")
    choices.first.wait_for(state="visible", timeout=20_000)
    labels = choices.all_inner_texts()
    assert len(labels) == 3 and all(re.search(r"\d+%$", label) for label in labels), labels
    assert labels[0].startswith("邻里纠纷"), labels
    page.screenshot(path="/tmp/yiwang_triage_intake.png", full_page=True)
    choices.first.click()
    neighbourhood = str(DisputeType.objects.get(code="neighbourhood").pk)
    assert page.input_value("select[name=dispute_type]") == neighbourhood
    page.check("input[name=triage-languages][value=putuo]")
    page.fill("input[name=app-0-name]", "欧阳阿婆")
    page.fill("input[name=app-0-phone]", "13857001234")
    page.fill("input[name=resp-0-name]", "李国强")
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url("**/cases/*/")

    case = Case.objects.get(parties__name="欧阳阿婆")
    assert case.dispute_type.code == "neighbourhood"
    assert [lang.code for lang in CaseLanguage.objects.get(case=case).languages.all()] == ["putuo"]
    page.click("details[data-action=accept] summary")
    page.locator("details[data-action=accept] form button[type=submit]").click()
    page.wait_for_load_state()
    panel = page.locator(".triage-mediators")
    panel.wait_for(state="visible")
    first = panel.locator("ol li").first.inner_text()
    assert first.startswith("王调解员") and "申报擅长邻里纠纷" in first and "与当事人相同" in first, first
    assert "普陀话" in page.locator(".triage-languages").inner_text()
    page.screenshot(path="/tmp/yiwang_triage_case.png", full_page=True)
