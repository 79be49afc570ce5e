"""Records and a context for testing the rules without a database (the rules read nothing else)."""

import datetime as dt
import itertools

from django.utils import translation

from yiwang.warnings import detect
from yiwang.warnings.defaults import build_rules
from yiwang.warnings.facts import CaseFact, Context, ProblemFact, normalise

TODAY = dt.date(2026, 6, 15)  # a Monday
LIUHENG, VILLAGE, OTHER_VILLAGE = "330903100", "330903100201", "330903100202"
NAMES = {"330903": "普陀区", LIUHENG: "六横镇", VILLAGE: "东靖社区", OTHER_VILLAGE: "双塘村", "330903001": "沈家门街道"}
TYPES = {"labour": "劳动纠纷", "maritime": "海事渔事纠纷", "neighbourhood": "邻里纠纷", "contract": "合同纠纷"}
_ids = itertools.count(1)


def case(*, days_ago=0, area=VILLAGE, type_code="neighbourhood", text="邻居加建围墙，影响通行。", **extra) -> CaseFact:
    """One case received `days_ago` days before TODAY."""
    extra.setdefault("applicants", (f"id:A{next(_ids)}",))
    extra.setdefault("respondents", (f"id:R{next(_ids)}",))
    return CaseFact(id=next(_ids), area_code=area, type_code=type_code, received=TODAY - dt.timedelta(days=days_ago),
                    maritime=extra.pop("maritime", type_code == "maritime"), text=normalise(text), **extra)


def problem(*, days_ago=0, area=VILLAGE, category="environment", text="河道垃圾堆积") -> ProblemFact:
    return ProblemFact(id=next(_ids), area_code=area, category=category, reported=TODAY - dt.timedelta(days=days_ago),
                       text=normalise(text))


def context(today=TODAY, **rule_changes) -> Context:
    """The default rules (changed as `rule_changes` says: {"group.size": {"yellow": 6}}) on `today`."""
    rules = build_rules()
    for code, changes in rule_changes.items():
        for name, value in changes.items():
            setattr(rules[code], name, value)
    return Context(today=today, rules=rules, area_names=NAMES, type_names=TYPES,
                   category_names={"environment": "环境卫生", "dispute": "矛盾纠纷"}, earliest=today - dt.timedelta(days=4 * 365))


def run(code, facts=(), problems=(), ctx=None, focus=None, focus_problems=None):
    """The findings of rule `code` over the records, explanations in Chinese."""
    with translation.override("zh-hans"):
        return detect.run([code], list(facts), list(problems), ctx or context(), focus=focus,
                          focus_problems=focus_problems)
