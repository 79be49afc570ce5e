"""Every rule at its threshold, just below it and beyond it, with the default numbers of the README, and
the explanation each writes. The rules read records only, so these need no database."""

import datetime as dt

import pytest

from yiwang.warnings.detect import matched_words, poisson_tail
from yiwang.warnings.facts import normalise
from yiwang.warnings.tests.rules_helpers import (
    LIUHENG,
    OTHER_VILLAGE,
    TODAY,
    VILLAGE,
    case,
    context,
    problem,
    run,
)

# --- group disputes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("people", "level"), [(4, None), (5, "yellow"), (29, "yellow"), (30, "orange"),
                                               (99, "orange"), (100, "red"), (400, "red")])
def test_group_size_levels(people, level):
    found = run("group.size", [case(people=people, type_code="labour")])
    assert [f.level for f in found] == ([level] if level else [])


def test_group_size_explanation():
    [finding] = run("group.size", [case(people=35, type_code="labour")])
    assert finding.explanation == "六横镇东靖社区 一件劳动纠纷涉及 35 人（橙色预警线 30 人）"


def test_group_size_threshold_is_data():
    assert not run("group.size", [case(people=5)], ctx=context(**{"group.size": {"yellow": 6}}))
    assert not run("group.size", [case(people=50)], ctx=context(**{"group.size": {"enabled": False}}))


def against(company="cc:91330903MA2A0000X1", *, days_ago=0, applicant=None, area=VILLAGE):
    return case(days_ago=days_ago, area=area, type_code="labour", respondents=(company,),
                respondent_names=("舟山某水产公司",), **({"applicants": (applicant,)} if applicant else {}))


def test_group_respondent_fires_at_three_different_applicants_within_thirty_days():
    two = [against(days_ago=20), against(days_ago=5)]
    assert not run("group.respondent", two)
    [finding] = run("group.respondent", [*two, against(days_ago=0)])
    assert finding.level == "yellow" and len(finding.cases) == 3
    assert finding.explanation == ("六横镇东靖社区 30 天内 3 名不同申请人针对舟山某水产公司提出纠纷 3 件"
                                   "（黄色预警线 3 人）")
    assert finding.key == "group.respondent:cc:91330903MA2A0000X1"


def test_group_respondent_counts_applicants_not_cases_and_only_within_the_window():
    same = [against(days_ago=d, applicant="id:SAME") for d in (1, 2, 3)]
    assert not run("group.respondent", same)  # one applicant three times is a repeat party, not a group
    old = [against(days_ago=31), against(days_ago=40), against(days_ago=1)]
    assert not run("group.respondent", old)
    assert run("group.respondent", [against(days_ago=d) for d in range(5)])[0].level == "orange"
    assert run("group.respondent", [against(days_ago=d) for d in range(10)])[0].level == "red"


def test_group_respondent_by_name_within_the_town_masks_a_person():
    key = f"name:张三丰@{LIUHENG}"
    facts = [case(respondents=(key,), respondent_names=("张三丰",)) for _ in range(3)]
    [finding] = run("group.respondent", facts)
    assert "张三丰" not in finding.explanation and "张*" in finding.explanation


# --- repeat parties ---------------------------------------------------------------------------------------

def test_repeat_party_three_cases_within_ninety_days():
    person = "id:330903198001011234"
    two = [case(days_ago=80, applicants=(person,)), case(days_ago=10, applicants=(person,))]
    assert not run("repeat.party", two)
    assert not run("repeat.party", [*two, case(days_ago=91, applicants=(person,))])
    [finding] = run("repeat.party", [*two, case(days_ago=0, applicants=(person,))])
    assert finding.level == "yellow"
    assert finding.explanation == "六横镇东靖社区 同一当事人 90 天内涉及纠纷 3 件"
    five = [case(days_ago=d, applicants=(person,)) for d in range(5)]
    assert run("repeat.party", five)[0].level == "orange"


def test_repeat_party_leaves_a_respondent_with_many_applicants_to_the_group_rule():
    facts = [against(days_ago=d) for d in range(3)]
    assert not run("repeat.party", facts)


def test_a_case_returning_after_the_earlier_one_closed():
    a, b = "id:A-RETURN", "id:B-RETURN"
    earlier = case(days_ago=100, applicants=(a,), respondents=(b,), is_open=False, closed_on=TODAY - dt.timedelta(days=40))
    again = case(days_ago=0, applicants=(b,), respondents=(a,))
    [finding] = run("repeat.returned", [earlier, again], focus=[again])
    assert finding.cases == (earlier.id, again.id)
    assert finding.explanation == "六横镇东靖社区 同一当事人之间的纠纷在前案结案 40 天后再次发生"
    stranger = case(days_ago=0, applicants=(a,), respondents=("id:SOMEONE-ELSE",))
    assert not run("repeat.returned", [earlier, stranger], focus=[stranger])
    long_ago = case(days_ago=800, applicants=(a,), respondents=(b,), is_open=False,
                    closed_on=TODAY - dt.timedelta(days=366))
    assert not run("repeat.returned", [long_ago, again], focus=[again])


# --- danger words ----------------------------------------------------------------------------------------

def test_words_are_matched_after_normalising_full_width_and_spaces():
    assert normalise("跳　楼 ＡＢＣ") == "跳楼abc"
    assert run("danger.extreme", [case(text="他说再不给钱就要跳 楼")])[0].level == "red"
    assert run("danger.extreme", [case(text="扬言要同　归　于　尽")])
    assert not run("danger.extreme", [case(text="双方协商解决")])


def test_a_negated_word_does_not_count():
    assert matched_words(normalise("没有跳楼的想法，情绪稳定"), ["跳楼"]) == []
    assert not run("harm.casualty", [case(text="事故无人员重伤")])


def test_mass_event_words_and_words_that_need_a_group():
    [finding] = run("danger.mass", [case(text="准备拉横幅到镇政府")])
    assert finding.level == "orange" and finding.explanation == "六横镇东靖社区 一件邻里纠纷出现群体性事件苗头：拉横幅"
    assert not run("danger.mass", [case(text="要个讨说法")])  # one person asking for an explanation
    assert run("danger.mass", [case(text="工友们一起去讨说法")])
    assert run("danger.mass", [case(text="要讨说法", people=12)])


def test_danger_words_in_a_grid_report():
    report = problem(category="dispute", text="村民说要集体上访")
    [finding] = run("danger.mass", problems=[report], focus=[], focus_problems=[report])
    assert finding.problems == (report.id,) and "网格上报" in finding.explanation


def test_the_word_list_is_data():
    ctx = context(**{"danger.extreme": {"words": "喝药"}})
    assert run("danger.extreme", [case(text="说要喝药")], ctx=ctx)
    assert not run("danger.extreme", [case(text="说要跳楼")], ctx=ctx)


# --- casualties and amounts ---------------------------------------------------------------------------------

def test_casualty_is_red():
    [finding] = run("harm.casualty", [case(type_code="contract", text="施工中一人当场死亡")])
    assert finding.level == "red" and "当场死亡" in finding.explanation


@pytest.mark.parametrize(("amount", "level"), [(499_999, None), (500_000, "yellow"), (2_000_000, "orange"),
                                               (10_000_000, "red")])
def test_large_amounts(amount, level):
    found = run("harm.amount", [case(amount=amount, type_code="contract")])
    assert [f.level for f in found] == ([level] if level else [])


def test_amount_explanation():
    [finding] = run("harm.amount", [case(amount=2_500_000, type_code="contract")])
    assert finding.explanation == "六横镇东靖社区 一件合同纠纷涉案金额 2,500,000 元（橙色预警线 2,000,000 元）"


# --- stalled major cases --------------------------------------------------------------------------------------

def test_a_major_case_past_its_deadline():
    overdue = case(days_ago=40, tier="district", deadline=TODAY - dt.timedelta(days=3), last_activity=TODAY)
    [finding] = run("stalled.major", [overdue])
    assert finding.explanation == "六横镇东靖社区 一件重大邻里纠纷已超过办理期限 3 天"


def test_a_group_dispute_without_a_session_for_ten_working_days():
    monday = TODAY
    idle = case(days_ago=30, people=8, deadline=TODAY + dt.timedelta(days=20), last_activity=monday - dt.timedelta(days=14))
    [finding] = run("stalled.major", [idle])
    assert finding.numbers == {"idle_working_days": 10}
    recent = case(days_ago=30, people=8, deadline=TODAY + dt.timedelta(days=20), last_activity=monday - dt.timedelta(days=13))
    assert not run("stalled.major", [recent])  # nine working days
    ordinary = case(days_ago=30, deadline=TODAY - dt.timedelta(days=3))
    assert not run("stalled.major", [ordinary])  # neither 重大 nor a group dispute
    closed = case(days_ago=30, tier="district", deadline=TODAY - dt.timedelta(days=3), is_open=False)
    assert not run("stalled.major", [closed])


# --- the sea --------------------------------------------------------------------------------------------------

def sea(text, **extra):
    extra.setdefault("vessel", normalise("浙普渔12345"))
    extra.setdefault("vessel_label", "浙普渔12345")
    return case(type_code="maritime", text=text, **extra)


def test_death_or_missing_at_sea_is_red_and_names_the_vessel():
    [finding] = run("at_sea.casualty", [sea("作业时一名船员落水失踪")])
    assert finding.level == "red" and finding.vessel == "浙普渔12345"
    assert finding.explanation == "六横镇东靖社区 海上人员死亡或失踪（浙普渔12345；失踪、落水）"
    assert not run("at_sea.casualty", [case(type_code="neighbourhood", text="邻居落水")])  # not at sea
    assert not run("harm.casualty", [sea("船员遇难")])  # the sea's own rule: one warning


def test_collision_between_several_vessels():
    [finding] = run("at_sea.collision", [sea("浙普渔12345与浙岱渔67890在东极海域碰撞")])
    assert finding.level == "orange" and finding.numbers == {"vessels": 2}
    assert run("at_sea.collision", [sea("多艘渔船相撞", vessel="")])[0].numbers == {"vessels": 3}
    assert run("at_sea.collision", [sea("四艘渔船相撞", vessel="")])[0].level == "red"
    assert not run("at_sea.collision", [sea("渔船触礁", vessel="")])


def test_a_vessel_in_repeated_disputes():
    facts = [sea("渔获分配", days_ago=d) for d in (80, 30)]
    assert not run("at_sea.vessel_repeat", facts)
    [finding] = run("at_sea.vessel_repeat", [*facts, sea("网具损坏")])
    assert finding.level == "yellow" and finding.explanation == "浙普渔12345 90 天内涉及纠纷 3 件"


def test_many_crew_of_one_vessel_claiming_wages():
    facts = [sea("船员追讨工资", people=2, days_ago=d) for d in (10, 5)]
    assert not run("at_sea.crew_wages", facts)
    [finding] = run("at_sea.crew_wages", [*facts, sea("拖欠工资", people=1)])
    assert finding.level == "yellow" and finding.explanation == "浙普渔12345 60 天内 5 名船员追讨工资（3 件）"
    assert run("at_sea.crew_wages", [sea("追讨工资", people=30)])[0].level == "red"


def test_during_a_closure_sea_warnings_go_up_a_level():
    ctx = context()
    ctx.closures = [("2026年伏季休渔", TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=60))]
    [finding] = run("at_sea.crew_wages", [sea("追讨工资", people=6)], ctx=ctx)
    assert finding.level == "orange" and finding.explanation.endswith("；正值2026年伏季休渔")


# --- spikes ------------------------------------------------------------------------------------------------

def history(per_week: dict[int, int], *, area=LIUHENG, type_code="labour"):
    """Cases `per_week[k]` in the k-th week before this one (k ≥ 1), and the same weeks of earlier years."""
    facts = []
    for weeks_ago, count in per_week.items():
        facts += [case(days_ago=7 * weeks_ago + i % 7, area=area, type_code=type_code) for i in range(count)]
    return facts


def seasonal(count_per_window: int, *, years=3, area=LIUHENG, type_code="labour"):
    facts = []
    for year in range(1, years + 1):
        for shift in (-14, -7, 0, 7, 14):
            end = 364 * year + shift
            facts += [case(days_ago=end + i % 7, area=area, type_code=type_code) for i in range(count_per_window)]
    return facts


def test_a_spike_names_its_baseline():
    background = seasonal(2) + history({week: 2 for week in range(1, 9)})
    now = [case(days_ago=i % 7, area=LIUHENG, type_code="labour") for i in range(12)]
    [finding] = run("spike.cases", background + now)
    assert finding.explanation == ("六横镇 7 天内新增劳动纠纷 12 件，同期基线 2.0 件（往年同期 2.0，近几周 2.0）")
    assert finding.level == "orange"  # 10 above the baseline
    assert finding.numbers["baseline"] == 2.0 and len(finding.cases) == 12


def test_no_spike_at_the_areas_usual_level_or_below_the_minimum():
    busy = seasonal(10) + history({week: 10 for week in range(1, 9)})
    assert not run("spike.cases", busy + [case(days_ago=i % 7, area=LIUHENG, type_code="labour") for i in range(12)])
    quiet = [case(days_ago=i, area=LIUHENG, type_code="labour") for i in range(4)]
    assert not run("spike.cases", quiet)  # four cases from nothing: below the minimum of five


def test_the_season_counts():
    """The same 12 cases are a spike in a quiet season and not in the season that is always busy."""
    now = [case(days_ago=i % 7, area=LIUHENG, type_code="labour") for i in range(12)]
    usual_now = seasonal(11) + history({week: 1 for week in range(1, 9)})
    assert not run("spike.cases", usual_now + now)
    assert run("spike.cases", seasonal(1) + history({week: 1 for week in range(1, 9)}) + now)


def test_a_village_spike_is_one_warning_not_also_the_towns():
    now = [case(days_ago=i % 7, area=VILLAGE, type_code="labour") for i in range(8)]
    [finding] = run("spike.cases", now)
    assert finding.area_code == VILLAGE
    spread = [case(days_ago=i % 7, area=(VILLAGE if i % 2 else OTHER_VILLAGE), type_code="labour") for i in range(8)]
    [town] = run("spike.cases", spread)  # four in each village: only the town sees it
    assert town.area_code == LIUHENG


def test_grid_problem_spike_by_category():
    reports = [problem(days_ago=i % 7, area=VILLAGE, category="environment") for i in range(9)]
    [finding] = run("spike.problems", problems=reports)
    assert finding.explanation.startswith("六横镇东靖社区 7 天内新增网格问题（环境卫生）9 件，同期基线 0.5 件")


def test_poisson_tail():
    assert poisson_tail(0, 3) == 1.0
    assert poisson_tail(1, 2) == pytest.approx(1 - 2.718281828 ** -2)
    assert poisson_tail(12, 2.0) < 0.001 < poisson_tail(6, 2.0)


# --- a case open again ---------------------------------------------------------------------------------------

def test_a_rejected_judicial_confirmation_reopens_the_case():
    rejected = case(type_code="contract", reopened_on=TODAY, reopen_reason="协议内容违反法律强制性规定")
    [finding] = run("repeat.reopened", [rejected])
    assert finding.level == "yellow" and finding.key == f"repeat.reopened:case:{rejected.id}"
    assert finding.explanation == ("六横镇东靖社区 一件合同纠纷重新打开：法院驳回调解协议司法确认申请"
                                   "（协议内容违反法律强制性规定）")
    assert not run("repeat.reopened", [case(type_code="contract")])
    assert not run("repeat.reopened", [case(reopened_on=TODAY, is_open=False)])  # closed since: nothing to warn of
