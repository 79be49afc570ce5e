"""The warnings section of a leader's daily digest (core.registry.digest_sections): the open warnings the
reader may see by level, how many were raised yesterday, the oldest nobody has handled; in Chinese."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from yiwang.core import registry
from yiwang.testing import factories as f
from yiwang.warnings.actions import do_step
from yiwang.warnings.models import Warning

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 15)


def at(day: dt.date, hour: int):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def raised(case_kwargs, when):
    case = f.register_case(**case_kwargs)
    warning = Warning.objects.get(cases=case)
    Warning.objects.filter(pk=warning.pk).update(raised_at=when)
    warning.refresh_from_db()
    return warning


def lines(user, day=DAY):
    [section] = [s for s in registry.digest_sections if s.name == "warnings.digest"]
    with translation.override("zh-hans"):
        return section.lines(user, day)


def test_the_digest_counts_open_warnings_by_level_and_names_the_oldest_unhandled(cast, town_leader):
    old = raised({"people_involved": 35}, at(DAY - dt.timedelta(days=5), 9))  # orange, 六横
    new = raised({"facts": "扬言要跳楼", "claims": "赔偿"}, at(DAY - dt.timedelta(days=1), 10))  # red, 六横
    raised({"by": "shenjiamen_clerk", "area": f.village("330903001"), "people_involved": 6},
           at(DAY - dt.timedelta(days=1), 11))  # yellow, 沈家门
    handled = raised({"people_involved": 8, "amount": 0}, at(DAY - dt.timedelta(days=3), 9))
    do_step(handled, "handle", by=cast.putuo_leader, version=handled.version, note="已约谈双方")
    raised({"people_involved": 7}, at(DAY, 8))  # today: tomorrow's digest
    district = lines(cast.putuo_leader)
    assert district[0] == "预警：待处置 4 条（红色 1 条、橙色 1 条、黄色 2 条），昨日新增 2 条。"
    assert district[1] == f"已 5 天未处置：橙色 · {old.rule.name} · 已发出：{old.explanation}"
    assert district[2].startswith("已 1 天未处置：红色 · 极端行为苗头 · 已发出：") and len(district) == 4
    assert all("已约谈" not in line and handled.explanation not in line for line in district[1:])
    town = lines(town_leader)  # 六横镇's leader: not 沈家门's warning
    assert town[0] == "预警：待处置 3 条（红色 1 条、橙色 1 条、黄色 1 条），昨日新增 1 条。"
    assert new.explanation in town[2]


def test_nothing_open_and_nothing_new_leaves_the_section_out(cast, town_leader):
    assert lines(town_leader) == []
    warning = raised({"people_involved": 35}, at(DAY - dt.timedelta(days=1), 9))
    do_step(warning, "dismiss", by=town_leader, version=warning.version, note="误报", false_alarm=True)
    assert lines(town_leader) == ["预警：待处置 0 条（无），昨日新增 1 条。"]
    assert lines(town_leader, DAY + dt.timedelta(days=1)) == []
    assert lines(cast.liuheng_clerk) == []  # no warning.view: no section
