"""Every indicator equals a direct count over the raw rows: after the demo's bulk load (rebuilt), after
each case action (edits, escalation, merging, withdrawal), after a deletion past the actions and
`rebuild_stats`, across year end and leap day, for empty areas; and the incremental cells equal a full
rebuild."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from yiwang.areas.models import Area
from yiwang.cases import actions
from yiwang.cases.models import Case
from yiwang.core.codes import ancestor_codes as ancestors
from yiwang.grids.models import Grid, Problem
from yiwang.stats.aggregates import rebuild
from yiwang.stats.figures import get_case_figures, get_children_figures, get_grid_figures
from yiwang.stats.models import Cell
from yiwang.stats.tests.reference import cases_direct, grids_direct
from yiwang.testing.factories import make_problem

SHANGHAI = ZoneInfo("Asia/Shanghai")
def today() -> dt.date:
    """The app's local date (Asia/Shanghai) when the test runs: never read at import, never the host's."""
    return timezone.localdate()


def standard_periods() -> list[tuple[dt.date, dt.date]]:
    """This year so far, last year, and the fixed edges: year end, leap day, a leap month."""
    now = today()
    return [
        (dt.date(now.year, 1, 1), now),
        (dt.date(now.year - 1, 1, 1), dt.date(now.year - 1, 12, 31)),
        (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),  # year end, one day
        (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2024, 2, 29), dt.date(2024, 2, 29)),  # leap day
        (dt.date(2024, 2, 15), dt.date(2024, 3, 10)),  # ragged edges around a leap month
        (dt.date(2020, 1, 1), now),
    ]


def village(town="330903100") -> str:
    return Area.objects.filter(code__startswith=town, level="village").order_by("code").first().code


def areas_to_check() -> list[str]:
    v = village()
    return ["33", "3309", "330903", "330903100", v, "330903001", empty_town()]


def empty_town() -> str:
    """A town of 普陀 with no cases and no problems at all (an empty area)."""
    with_rows = {code[:9] for code in Case.objects.values_list("area_id", flat=True)}
    for town in Area.objects.filter(level="township", code__startswith="330903").order_by("-code"):
        if town.code not in with_rows:
            return town.code
    return "330903999"


def assert_cases_match(areas=None, periods=None):
    for area in areas or areas_to_check():
        for start, end in periods or standard_periods():
            expected = cases_direct(area, start, end)
            figures = get_case_figures(area, start, end)
            got = {k: figures[k] for k in expected}
            assert got == expected, (area, start, end)


def assert_grids_match(areas=None, periods=None):
    for area in areas or areas_to_check():
        for start, end in periods or standard_periods():
            expected = grids_direct(area, start, end)
            figures = get_grid_figures(area, start, end)
            assert {k: figures[k] for k in expected} == expected, (area, start, end)


def cells() -> set:
    return {(c.area_code, c.grain, c.day, c.metric, c.key, c.n, c.total)
            for c in Cell.objects.all() if c.n or c.total}


def assert_rebuild_changes_nothing():
    before = cells()
    rebuild()
    assert cells() == before


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def register(cast, *, received_at=None, area=None, dispute_type="neighbourhood", phone="13857001234", **extra):
    return actions.do_register_case(
        by=cast.putuo_staff, channel=extra.pop("channel", "window"), dispute_type=dispute_type,
        area=area or village(), facts="邻居修建围墙占用通道", claims="拆除围墙，恢复通行",
        applicants=[{"name": "张海明", "phone": phone}], respondents=[{"name": "李国强", "phone": "13905801234"}],
        received_at=received_at, **extra,
    )


def test_ancestors_are_every_level_above():
    assert ancestors("330903100201") == ["33", "3309", "330903", "330903100", "330903100201"]
    assert ancestors("330903") == ["33", "3309", "330903"]


def test_an_empty_area_has_zero_and_no_rates(cast):
    figures = get_case_figures(empty_town(), dt.date(2020, 1, 1), today())
    assert figures["received"] == 0 and figures["received_previous_year"] == 0
    assert figures["yoy_change_percent"] is None and figures["mediation_success_rate"] is None
    assert figures["handling_days_median"] is None
    grids = get_grid_figures(empty_town(), dt.date(2020, 1, 1), today())
    assert grids["reported"] == 0 and grids["backlog"] == 0 and grids["backlog_mean_age_days"] is None


def test_year_end_and_leap_day_fall_on_the_right_local_date(cast):
    # 23:30 on 31 December in Shanghai is 15:30 UTC: a UTC date would still be right, but 00:10 on
    # 1 January is 16:10 UTC on 31 December, which a UTC date would count in the wrong year.
    register(cast, received_at=at(2025, 12, 31, 23, 30), phone="13857000001")
    register(cast, received_at=at(2026, 1, 1, 0, 10), phone="13857000002")
    register(cast, received_at=at(2024, 2, 29, 0, 5), phone="13857000003")
    assert get_case_figures("330903", dt.date(2026, 1, 1), dt.date(2026, 1, 1))["received"] == \
        cases_direct("330903", dt.date(2026, 1, 1), dt.date(2026, 1, 1))["received"]
    leap = get_case_figures("330903100", dt.date(2024, 2, 29), dt.date(2024, 2, 29))
    assert leap["received"] == cases_direct("330903100", dt.date(2024, 2, 29), dt.date(2024, 2, 29))["received"] >= 1
    assert leap["previous_year"] == {"start": dt.date(2023, 2, 28), "end": dt.date(2023, 2, 28)}
    assert_cases_match()
    assert_rebuild_changes_nothing()


def test_every_action_keeps_the_figures_exact(cast):
    staff = cast.putuo_staff
    first = register(cast, received_at=at(2026, 1, 1, 0, 10), phone="13857000011")
    assert_cases_match()
    # escalation changes the tier, then back down
    first = actions.do_escalate(first, by=staff, reason="涉及金额较大")
    assert first.tier == "town"
    assert_cases_match()
    first = actions.do_delegate(first, by=staff, reason="村级可以化解")
    # a duplicate merged into the first counts once
    duplicate = register(cast, received_at=at(2026, 1, 2, 9), phone="13857000011", channel="phone")
    assert_cases_match()
    actions.do_merge_cases(duplicate, into=first, by=staff, reason="同一纠纷重复登记")
    assert get_case_figures(village(), dt.date(2026, 1, 1), dt.date(2026, 1, 2))["merged_duplicates"] == 1
    assert_cases_match()
    # not accepted, withdrawn, trips
    refused = register(cast, received_at=at(2025, 12, 31, 23, 30), phone="13857000012",
                       dispute_type="labour")
    actions.do_not_accept(refused, by=staff, reason="不属于受理范围", redirect="劳动仲裁委员会")
    withdrawn = register(cast, phone="13857000013", dispute_type="contract")
    actions.do_record_visit(withdrawn, by=staff)
    withdrawn.refresh_from_db()
    actions.do_withdraw(withdrawn, by=staff, reason="当事人自行和解")
    assert_cases_match()
    assert_rebuild_changes_nothing()
    # No action deletes a case (the admin refuses to: test_non_action_paths); a row removed past the actions
    # (a shell, SQL) calls no hook, and `yiwang rebuild_stats` takes it out of every figure.
    Case.objects.filter(pk=withdrawn.pk).delete()
    rebuild()
    assert_cases_match()


def test_an_agreement_counts_as_success_and_diversion(cast):
    case = register(cast, dispute_type="contract", phone="13857000021")
    staff, mediator = cast.putuo_staff, cast.mediator_wang
    case = actions.do_accept(case, by=staff)
    case = actions.do_assign(case, by=staff, mediators=[mediator])
    case = actions.do_start_mediation(case, by=mediator)
    from yiwang.testing.factories import sign_and_seal

    case = sign_and_seal(actions.do_record_agreement(  # drafted, signed by everyone and sealed (art. 29)
        case, by=mediator, facts="合同纠纷", matters_in_dispute="货款", responsibilities="双方",
        content="分期支付", performance_manner="转账", performance_place="六横镇",
        performance_deadline=today() + dt.timedelta(days=10),
    ), mediator=mediator)
    case = actions.do_record_performance(case, by=mediator, completed=True)
    case = actions.do_follow_up(case, by=mediator, satisfaction=4)
    actions.do_archive(case, by=staff)
    figures = get_case_figures(village(), today(), today())
    assert figures["mediation_agreements"] >= 1 and figures["diverted_before_litigation"] >= 1
    assert figures["followed_up"] >= 1 and figures["closed"] >= 1
    assert_cases_match(periods=[(today(), today()), (dt.date(today().year, 1, 1), today())])
    assert_rebuild_changes_nothing()


def _row(cases: dict, grids: dict) -> dict:
    return {"received": cases["received"], "closed": cases["closed"], "agreements": cases["by_outcome"].get(
        "agreement", 0), "visits": grids["visits"], "reported": grids["reported"], "cleared": grids["cleared"]}


def assert_drill_down_matches(parent: str, periods=None):
    children = list(Area.objects.filter(parent_id=parent).order_by("code").values_list("code", flat=True))
    assert children
    for start, end in periods or standard_periods():
        rows = get_children_figures([*children, parent], start, end)
        for code in [*children, parent]:
            got = {"received": rows[code]["received"], "closed": rows[code]["closed"],
                   "agreements": rows[code]["mediation_agreements"], "visits": rows[code]["visits"],
                   "reported": rows[code]["reported"], "cleared": rows[code]["cleared"]}
            assert got == _row(cases_direct(code, start, end), grids_direct(code, start, end)), (code, start, end)


def test_the_drill_down_rows_equal_direct_counts(cast):
    register(cast, received_at=at(2026, 1, 31, 23, 59), phone="13857000031")  # a month's last minute
    register(cast, received_at=at(2026, 2, 1, 0, 0), phone="13857000032", area=village("330903001"))
    periods = [*standard_periods(), (dt.date(2026, 1, 15), dt.date(2026, 2, 14)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))]
    assert_drill_down_matches("330903", periods)  # county → towns
    assert_drill_down_matches("330903100", periods)  # town → villages
    assert_drill_down_matches("330903001", periods)


def test_whole_months_are_read_from_month_cells_only(cast):
    """What keeps a dashboard's cost flat as rows grow: for whole months, every level's figures — and a
    town's row per village — come from month cells, whose number per month is bounded by the number of
    keys, not of cases. With every day cell removed, those figures are unchanged."""
    months = (dt.date(2025, 1, 1), dt.date(2026, 10, 31))
    for n, received in enumerate([at(2025, 1, 1, 0, 5), at(2025, 6, 30, 23, 50), at(2026, 3, 15, 9)]):
        register(cast, received_at=received, phone=f"1385700007{n}", area=village(["330903100", "330903001"][n % 2]))
    grid = Grid.objects.filter(area_id=village()).order_by("code").first()
    for n, reported in enumerate([dt.date(2025, 2, 3), dt.date(2026, 10, 31)]):
        problem = make_problem(grid, "closed" if n else "reported")
        # Found in months past: the figures read the rows' own times, rebuilt below from the rows.
        Problem.objects.filter(pk=problem.pk).update(
            reported_at=at(reported.year, reported.month, reported.day, 10),
            closed_at=at(reported.year, reported.month, reported.day, 16) if n else None)
    rebuild()
    county_town = ["330903", "330903100"]
    villages = list(Area.objects.filter(parent_id="330903100").values_list("code", flat=True))
    before = ({code: get_case_figures(code, *months) for code in county_town},
              {code: get_grid_figures(code, *months) for code in county_town},
              get_children_figures(villages, *months))
    assert all(before[0][code]["received"] == 3 - (code == "330903100") for code in county_town)
    assert all(before[1][code]["reported"] == 2 for code in county_town)
    Cell.objects.filter(grain="d").exclude(metric="p_open").delete()
    after = ({code: get_case_figures(code, *months) for code in county_town},
             {code: get_grid_figures(code, *months) for code in county_town},
             get_children_figures(villages, *months))
    assert after == before


def test_township_and_village_month_cells_are_marginals(cast):
    """A town's month holds one cell per dimension value (never a combination), and a village's month
    only the few marginals its drill-down row needs."""
    register(cast, phone="13857000041")
    town_metrics = set(Cell.objects.filter(area_code="330903100", grain="m").values_list("metric", flat=True))
    assert "type" in town_metrics and "case" not in town_metrics and "problem" not in town_metrics
    village_metrics = set(Cell.objects.filter(area_code=village(), grain="m").values_list("metric", flat=True))
    assert village_metrics and village_metrics <= {"outcome", "closed", "p_category", "merged", "p_cleared", "visits"}
    assert not Cell.objects.filter(grain="m", metric="p_open").exists()
    assert_rebuild_changes_nothing()
