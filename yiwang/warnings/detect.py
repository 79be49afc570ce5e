"""The rules themselves: each rule code is one function from records (yiwang.warnings.facts) to findings.

A function reads only its Rule row's numbers and the Context, never the database or the clock, so the
engine (on the database) and the backtest (on a simulated year) run exactly the same code. A finding
names its situation by `key` (rule and subject); the engine joins it into the open warning with that
key or raises a new one. Explanations are written here with gettext; the engine renders them in the
site's language (Chinese).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from yiwang.pii import mask_name
from yiwang.warnings.facts import CaseFact, Context, ProblemFact, normalise
from yiwang.warnings.models import Level, raise_level


@dataclass
class Finding:
    """What a rule found: the situation (`key`), its level, where, the records behind it, and why."""

    rule: str
    key: str
    level: str
    area_code: str
    explanation: str
    cases: tuple[int, ...] = ()
    problems: tuple[int, ...] = ()
    vessel: str = ""
    started: dt.date | None = None
    numbers: dict = field(default_factory=dict)


def _level_name(level: str) -> str:
    return {Level.YELLOW: _("yellow"), Level.ORANGE: _("orange"), Level.RED: _("red")}[level]


def _line(rule, level: str):
    value = {Level.YELLOW: rule.yellow, Level.ORANGE: rule.orange, Level.RED: rule.red}[level]
    return _number(value) if value is not None else ""


def _number(value) -> str:
    value = Decimal(str(value))
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.2f}"


def _within(facts, today: dt.date, days: int):
    since = today - dt.timedelta(days=days - 1)
    return [f for f in facts if since <= f.received <= today]


def _type(ctx: Context, fact: CaseFact) -> str:
    return ctx.type_names.get(fact.type_code, fact.type_code)


# ---------------------------------------------------------------------------------------------- words

GROUP_SIGNS = ("集体", "一起", "多人", "大家", "工友们", "村民们", "船员们", "一帮人", "几十人", "上百人")
# A negation right before the word (无重伤, 未跳楼), or a phrase of negation a few characters before it
# (无人员重伤, 没有想过跳楼, 未造成人员伤残); "无奈地说要跳楼" still counts.
NEGATIONS = ("无", "未", "没", "不会", "没有", "并非")
NEGATION_PHRASES = ("无人员", "无人", "没有", "未造成", "未发生", "不存在")


def matched_words(text: str, words: list[str], *, people: int = 1, group_from: int = 5) -> list[str]:
    """The words of a list found in normalised `text`. A line `word +group` counts only with a sign of a
    group (a group sign word, or `people` ≥ `group_from`); a word right after a negation (无人员伤亡,
    没有跳楼) does not count."""
    found = []
    grouped = people >= group_from or any(sign in text for sign in GROUP_SIGNS)
    for line in words:
        needs_group = line.endswith("+group")
        word = normalise(line.removesuffix("+group"))
        if not word or (needs_group and not grouped):
            continue
        for match in re.finditer(re.escape(word), text):
            before = text[max(0, match.start() - 6):match.start()]
            if not (any(before.endswith(n) for n in NEGATIONS) or any(p in before for p in NEGATION_PHRASES)):
                found.append(word)
                break
    return found


# ---------------------------------------------------------------------------------------------- per case

def group_size(rule, facts, problems, ctx, focus):
    for fact in focus:
        people = max(fact.people, fact.crew)  # the crew involved, when the maritime record counts more
        level = rule.level_for(people)
        if level:
            yield Finding(rule.code, f"{rule.code}:case:{fact.id}", level, fact.area_code, _(
                "%(area)s: one %(type)s involves %(people)s people (the %(level)s line is %(line)s)") % {
                "area": ctx.area_name(fact.area_code), "type": _type(ctx, fact), "people": people,
                "level": _level_name(level), "line": _line(rule, level)},
                cases=(fact.id,), started=fact.received, numbers={"people": people})


def _danger(kind_label):
    def detect(rule, facts, problems, ctx, focus, focus_problems=()):
        for fact in focus:
            words = matched_words(fact.text, rule.word_list(), people=fact.people)
            if words:
                yield Finding(rule.code, f"{rule.code}:case:{fact.id}", rule.level, fact.area_code, _(
                    "%(area)s: a %(type)s speaks of %(kind)s: %(words)s") % {
                    "area": ctx.area_name(fact.area_code), "type": _type(ctx, fact), "kind": kind_label(),
                    "words": "、".join(words)}, cases=(fact.id,), started=fact.received, numbers={"words": words})
        for problem in focus_problems:
            words = matched_words(problem.text, rule.word_list())
            if words:
                yield Finding(rule.code, f"{rule.code}:problem:{problem.id}", rule.level, problem.area_code, _(
                    "%(area)s: a grid report speaks of %(kind)s: %(words)s") % {
                    "area": ctx.area_name(problem.area_code), "kind": kind_label(), "words": "、".join(words)},
                    problems=(problem.id,), started=problem.reported, numbers={"words": words})
    return detect


danger_extreme = _danger(lambda: _("an extreme act"))
danger_mass = _danger(lambda: _("a mass event"))


def harm_casualty(rule, facts, problems, ctx, focus):
    for fact in focus:
        if fact.maritime and ctx.rules.get("at_sea.casualty") and ctx.rules["at_sea.casualty"].enabled:
            continue  # a death at sea is the sea's own rule: one situation, one warning
        words = matched_words(fact.text, rule.word_list())
        if words:
            yield Finding(rule.code, f"{rule.code}:case:{fact.id}", rule.level, fact.area_code, _(
                "%(area)s: a %(type)s with a death or serious injury (%(words)s)") % {
                "area": ctx.area_name(fact.area_code), "type": _type(ctx, fact), "words": "、".join(words)},
                cases=(fact.id,), started=fact.received, numbers={"words": words})


def harm_amount(rule, facts, problems, ctx, focus):
    for fact in focus:
        level = rule.level_for(fact.amount) if fact.amount is not None else None
        if level:
            yield Finding(rule.code, f"{rule.code}:case:{fact.id}", level, fact.area_code, _(
                "%(area)s: a %(type)s involving %(amount)s yuan (the %(level)s line is %(line)s yuan)") % {
                "area": ctx.area_name(fact.area_code), "type": _type(ctx, fact), "amount": _number(fact.amount),
                "level": _level_name(level), "line": _line(rule, level)},
                cases=(fact.id,), started=fact.received, numbers={"amount": str(fact.amount)})


def repeat_returned(rule, facts, problems, ctx, focus):
    days = rule.window_days or 365
    closed_with = defaultdict(list)  # party → the closed cases it was in (one pass, not a scan per case)
    for f in facts:
        if f.closed_on:
            for key in set(f.parties):
                closed_with[key].append(f)
    for fact in focus:
        parties = {key for key in fact.parties if not ctx.is_excluded(rule.code, key)}
        candidates = {f.id: f for key in parties for f in closed_with.get(key, ())}.values()
        earlier = [f for f in candidates if f.id != fact.id and f.closed_on <= fact.received
                   and (fact.received - f.closed_on).days <= days
                   and set(f.applicants) & parties and set(f.respondents) & parties]
        if earlier:
            last = max(earlier, key=lambda f: f.closed_on)
            gap = (fact.received - last.closed_on).days
            yield Finding(rule.code, f"{rule.code}:case:{fact.id}", rule.level, fact.area_code, _(
                "%(area)s: a dispute between the same parties returns %(days)s days after the earlier case "
                "closed") % {"area": ctx.area_name(fact.area_code), "days": gap},
                cases=(last.id, fact.id), started=fact.received, numbers={"days": gap, "earlier": last.id})


def repeat_reopened(rule, facts, problems, ctx, focus):
    """A case open again after its agreement: the court rejected judicial confirmation (人民调解法 art. 33),
    so the parties perform an agreement the court would not back, or mediate again."""
    for fact in focus:
        if not fact.reopened_on or not fact.is_open or fact.reopened_on > ctx.today:
            continue
        reason = fact.reopen_reason.strip().replace("\n", " ")
        reason = reason if len(reason) <= 60 else reason[:59] + "…"
        yield Finding(rule.code, f"{rule.code}:case:{fact.id}", rule.level, fact.area_code, _(
            "%(area)s: a %(type)s is open again: the court rejected judicial confirmation of its agreement "
            "(%(reason)s)") % {"area": ctx.area_name(fact.area_code), "type": _type(ctx, fact),
                               "reason": reason or _("no reason recorded")},
            cases=(fact.id,), started=fact.reopened_on, numbers={"reopened_on": fact.reopened_on.isoformat()})


def stalled_major(rule, facts, problems, ctx, focus):
    days = rule.window_days or 10
    group_from = ctx.rules["group.size"].yellow if "group.size" in ctx.rules else 5
    for fact in focus:
        if not fact.is_open or not (fact.tier == "district" or fact.people >= (group_from or 5)):
            continue
        if fact.deadline and fact.deadline < ctx.today:
            reason = _("past its deadline by %(days)s days") % {"days": (ctx.today - fact.deadline).days}
            numbers = {"overdue_days": (ctx.today - fact.deadline).days}
        else:
            idle = _working_days_between(ctx, fact.last_activity or fact.received, ctx.today)
            if idle < days:
                continue
            reason = _("without a mediation session for %(days)s working days") % {"days": idle}
            numbers = {"idle_working_days": idle}
        yield Finding(rule.code, f"{rule.code}:case:{fact.id}", rule.level, fact.area_code, _(
            "%(area)s: a major %(type)s is %(reason)s") % {
            "area": ctx.area_name(fact.area_code), "type": _type(ctx, fact), "reason": reason},
            cases=(fact.id,), started=fact.received, numbers=numbers)


def _working_days_between(ctx, start: dt.date, end: dt.date) -> int:
    day, count = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        count += ctx.working(day)
    return count


# ---------------------------------------------------------------------------------------------- the sea

# A vessel's name: a province's character, then the county's and the type's (浙普渔64110, 浙岱渔辅1234):
# anchored on the province, so that "与浙普渔64110" does not read as a vessel named 与浙普渔64110.
VESSEL_IN_TEXT = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台][\u4e00-\u9fa5]{1,3}\d{3,6}")
SEVERAL_VESSELS = re.compile(r"[两二三四五六七八九十多数几][艘条只]|[两三多]船")
SEVERAL_COUNT = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                 "多": 3, "数": 3, "几": 3}  # "多艘" and "数船": at least three


def _sea(ctx, fact: CaseFact, level: str, explanation: str) -> tuple[str, str]:
    closure = ctx.closure_on(fact.received)
    if closure:
        return raise_level(level), explanation + _("; during %(closure)s") % {"closure": closure}
    return level, explanation


def _vessels_of(fact: CaseFact) -> list[tuple[str, str, str, str]]:
    """(vessel key, name, owner key, owner name) of each vessel of a case: the registry's vessels of its
    maritime record, else the vessel the case names (no owner known)."""
    if fact.vessels:
        return list(zip(fact.vessels, fact.vessel_names, fact.owners, fact.owner_names, strict=False))
    return [(fact.vessel, fact.vessel_label or fact.vessel, "", "")] if fact.vessel else []


def _vessel_label(fact: CaseFact) -> str:
    return "、".join(fact.vessel_names) or fact.vessel_label


def _party_label(key: str, name: str) -> str:
    """A party's name for an explanation: a person's masked (张**), an organisation's in full."""
    if key.startswith("id:") or (key.startswith("name:") and len(name) <= 4):
        return mask_name(name)
    return name


def sea_casualty(rule, facts, problems, ctx, focus):
    for fact in focus:
        if not fact.maritime:
            continue
        found = matched_words(fact.text, rule.word_list())
        if fact.dead:  # the maritime record counts them, whatever the text says
            found = [_("%(n)s dead or missing on the record") % {"n": fact.dead}, *found]
        if found:
            yield Finding(rule.code, f"{rule.code}:case:{fact.id}", Level.RED, fact.area_code, _(
                "%(area)s: a death or missing person at sea (%(vessel)s; %(words)s)") % {
                "area": ctx.area_name(fact.area_code), "vessel": _vessel_label(fact) or _("vessel not named"),
                "words": "、".join(found)}, cases=(fact.id,), vessel=_vessel_label(fact), started=fact.received,
                numbers={"words": found, "dead": fact.dead})


def sea_collision(rule, facts, problems, ctx, focus):
    for fact in focus:
        if not fact.maritime or not (fact.incident == "collision" or matched_words(fact.text, rule.word_list())):
            continue
        # The vessels named in the text, on the maritime record, and in the case's vessel field.
        named = [n for n in (fact.vessel_label or "").split("、") if n]
        vessels = set(VESSEL_IN_TEXT.findall(fact.text)) | {normalise(n) for n in (*fact.vessel_names, *named)}
        count = len(vessels)
        several = SEVERAL_VESSELS.search(fact.text)
        if several:
            count = max(count, SEVERAL_COUNT[several.group(0)[0]])
        level = rule.level_for(count)
        if not level:
            continue
        level, text = _sea(ctx, fact, level, _("%(area)s: a collision between %(count)s vessels (%(vessels)s)") % {
            "area": ctx.area_name(fact.area_code), "count": count,
            "vessels": "、".join(sorted(vessels)) or _("vessels not named")})
        yield Finding(rule.code, f"{rule.code}:case:{fact.id}", level, fact.area_code, text, cases=(fact.id,),
                      vessel=_vessel_label(fact), started=fact.received, numbers={"vessels": count})


def sea_vessel_repeat(rule, facts, problems, ctx, focus):
    """One vessel, or one owner's vessels together, in several maritime disputes: a vessel of the
    registry counts for its owner (an owner's three boats in one dispute each is one situation), a
    vessel only named in a case for itself. An owner the district excludes from the rule is left out."""
    days = rule.window_days or 90
    groups: dict[str, dict[int, CaseFact]] = defaultdict(dict)
    names: dict[str, dict[str, None]] = defaultdict(dict)
    owners: dict[str, str] = {}
    for fact in _within(facts, ctx.today, days):
        if not fact.maritime:
            continue
        for vessel, name, owner, owner_name in _vessels_of(fact):
            if owner and ctx.is_excluded(rule.code, owner):
                continue
            subject = f"owner:{owner}" if owner else vessel
            groups[subject][fact.id] = fact
            names[subject][name] = None
            if owner:
                owners[subject] = _party_label(owner, owner_name)
    for subject, by_id in groups.items():
        group = sorted(by_id.values(), key=lambda f: (f.received, f.id))
        level = rule.level_for(len(group))
        if not level:
            continue
        first, vessels = group[0], list(names[subject])
        label = "、".join(vessels)
        if subject in owners and len(vessels) > 1:
            text = _("%(count)s disputes within %(days)s days on %(n)s vessels of one owner, %(owner)s "
                     "(%(vessels)s)") % {"count": len(group), "days": days, "n": len(vessels),
                                         "owner": owners[subject], "vessels": label}
        elif subject in owners:
            text = _("%(vessel)s (owner %(owner)s): %(count)s disputes within %(days)s days") % {
                "vessel": label, "owner": owners[subject], "count": len(group), "days": days}
        else:
            text = _("%(vessel)s: %(count)s disputes within %(days)s days") % {
                "vessel": label or subject, "count": len(group), "days": days}
        level, text = _sea(ctx, group[-1], level, text)
        yield Finding(rule.code, f"{rule.code}:{subject}", level, first.area_code, text,
                      cases=tuple(f.id for f in group), vessel=label or subject, started=first.received,
                      numbers={"cases": len(group), "days": days, "vessels": len(vessels)})


def sea_crew_wages(rule, facts, problems, ctx, focus):
    """Crew of one vessel claiming wages: people summed over the vessel's wage cases (the maritime
    record's crew involved when it counts more). When the registry lists the vessel's crew and at least
    `no_contract_share` of them have no written contract, the level goes up one step and says so: without
    a contract the wages are the owner's word against the crew's."""
    days = rule.window_days or 60
    words = rule.word_list()
    share_line = float(rule.setting("no_contract_share", 0.5))
    groups: dict[str, dict[int, CaseFact]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for fact in _within(facts, ctx.today, days):
        if not ((fact.maritime or fact.type_code.startswith("labour"))
                and (fact.incident == "crew_wages" or matched_words(fact.text, words))):
            continue
        for vessel, name, _owner, _owner_name in _vessels_of(fact):
            groups[vessel][fact.id] = fact
            labels.setdefault(vessel, name)
    for vessel, by_id in groups.items():
        group = sorted(by_id.values(), key=lambda f: (f.received, f.id))
        people = sum(max(f.people, f.crew) for f in group)
        level = rule.level_for(people)
        if not level:
            continue
        first, last = group[0], group[-1]
        text = _("%(vessel)s: %(people)s crew claim wages in %(count)s cases within %(days)s days") % {
            "vessel": labels[vessel] or vessel, "people": people, "count": len(group), "days": days}
        registered, without = last.crew_registered, last.crew_without_contract
        if registered and without / registered >= share_line:
            level = raise_level(level)
            text += _("; %(without)s of the %(registered)s crew on the register have no written contract") % {
                "without": without, "registered": registered}
        level, text = _sea(ctx, last, level, text)
        yield Finding(rule.code, f"{rule.code}:{vessel}", level, first.area_code, text,
                      cases=tuple(f.id for f in group), vessel=labels[vessel] or vessel, started=first.received,
                      numbers={"crew": people, "cases": len(group), "days": days,
                               "crew_registered": registered, "crew_without_contract": without})


# ---------------------------------------------------------------------------------------------- parties

def group_respondent(rule, facts, problems, ctx, focus):
    days = rule.window_days or 30
    against = defaultdict(list)
    names = {}
    for fact in _within(facts, ctx.today, days):
        for key, name in zip(fact.respondents, fact.respondent_names or ("",) * len(fact.respondents), strict=False):
            against[key].append(fact)
            names.setdefault(key, name)
    for key, group in against.items():
        if ctx.is_excluded(rule.code, key):
            continue  # a respondent the district excludes (e.g. the social insurance bureau)
        applicants = {a for f in group for a in f.applicants} - {key}
        level = rule.level_for(len(applicants)) if len(group) >= 2 else None
        if not level:
            continue
        first = min(group, key=lambda f: f.received)
        # A person: the explanation is no place for their full name.
        respondent = _party_label(key, names.get(key) or "") or _("the same respondent")
        yield Finding(rule.code, f"{rule.code}:{key}", level, first.area_code, _(
            "%(area)s: %(count)s cases against %(respondent)s from %(applicants)s different applicants within "
            "%(days)s days (the %(level)s line is %(line)s)") % {
            "area": ctx.area_name(first.area_code), "count": len(group), "respondent": respondent,
            "applicants": len(applicants), "days": days, "level": _level_name(level), "line": _line(rule, level)},
            cases=tuple(f.id for f in group), started=first.received,
            numbers={"cases": len(group), "applicants": len(applicants), "days": days})


def repeat_party(rule, facts, problems, ctx, focus):
    days = rule.window_days or 90
    group_rule = ctx.rules.get("group.respondent")
    group_line = group_rule.yellow if group_rule is not None and group_rule.enabled else None
    cases_of = defaultdict(list)
    for fact in _within(facts, ctx.today, days):
        for key in set(fact.parties):
            cases_of[key].append(fact)
    for key, group in cases_of.items():
        level = rule.level_for(len(group))
        if not level or ctx.is_excluded(rule.code, key):
            continue
        as_respondent = [f for f in group if key in f.respondents]
        others = {a for f in as_respondent for a in f.applicants}
        if group_line is not None and len(others) >= group_line:
            continue  # many applicants against one respondent: the group rule's situation
        first = min(group, key=lambda f: f.received)
        yield Finding(rule.code, f"{rule.code}:{key}", level, first.area_code, _(
            "%(area)s: the same party appears in %(count)s cases within %(days)s days") % {
            "area": ctx.area_name(first.area_code), "count": len(group), "days": days},
            cases=tuple(f.id for f in group), started=first.received, numbers={"cases": len(group), "days": days})


# ---------------------------------------------------------------------------------------------- spikes

def poisson_tail(observed: int, mean: float) -> float:
    """P(X ≥ observed) for X ~ Poisson(mean)."""
    if observed <= 0:
        return 1.0
    term = math.exp(-mean)
    below = term
    for i in range(1, observed):
        term *= mean / i
        below += term
    return max(0.0, 1.0 - below)


def baseline(days_counts: dict[dt.date, int], today: dt.date, ctx: Context, rule) -> tuple[float, dict]:
    """The expected count in the `window` days ending today, from the area's own history.

    Seasonal: the same window in each of the earlier `baseline_years` years, and the windows one and two
    weeks either side of it (historical limits, Stroup et al. 1989: five windows a year smooth out one
    odd week); recent: the `recent_weeks` windows just before this one. Their mean, or whichever exists
    (a new area has no past years). Floored at `floor`, so that a quiet village's zero baseline does not
    turn two cases into a spike."""
    window = rule.window_days or 7
    years = int(rule.setting("baseline_years", 3))
    weeks = int(rule.setting("recent_weeks", 8))
    floor = float(rule.setting("floor", 0.5))
    earliest = ctx.earliest

    def count(end: dt.date) -> int:
        return sum(days_counts.get(end - dt.timedelta(days=i), 0) for i in range(window))

    seasonal = []
    for year in range(1, years + 1):
        for shift in (-14, -7, 0, 7, 14):
            end = today - dt.timedelta(days=364 * year + shift)  # 52 weeks: the same weekday
            if earliest is None or end - dt.timedelta(days=window - 1) >= earliest:
                seasonal.append(count(end))
    recent = []
    for week in range(1, weeks + 1):
        end = today - dt.timedelta(days=window * week)
        if earliest is None or end - dt.timedelta(days=window - 1) >= earliest:
            recent.append(count(end))
    parts = [sum(xs) / len(xs) for xs in (seasonal, recent) if xs]
    mean = sum(parts) / len(parts) if parts else 0.0
    return max(mean, floor), {
        "seasonal": round(sum(seasonal) / len(seasonal), 2) if seasonal else None,
        "recent": round(sum(recent) / len(recent), 2) if recent else None,
    }


def _spikes(rule, ctx, rows, label):
    """rows: (id, area code, category, day). Villages first; a town fires only for a type no village of
    it fired for (the village's warning covers that situation)."""
    window = rule.window_days or 7
    minimum = rule.minimum or 5
    alpha = float(rule.setting("alpha", 0.001))
    since = ctx.today - dt.timedelta(days=window - 1)
    series = defaultdict(lambda: defaultdict(int))
    current = defaultdict(list)
    for pk, area, category, day in rows:
        for code in {area, area[:9]}:
            if len(code) < 9:
                continue
            series[(code, category)][day] += 1
            if since <= day <= ctx.today:
                current[(code, category)].append((pk, day))
    fired = set()
    for (code, category) in sorted(current, key=lambda k: -len(k[0])):
        now = current[(code, category)]
        if len(now) < minimum or (len(code) == 9 and (code, category) in fired):
            continue
        mean, parts = baseline(series[(code, category)], ctx.today, ctx, rule)
        level = rule.level_for(len(now) - mean)
        if not level or poisson_tail(len(now), mean) >= alpha:
            continue
        fired.add((code[:9], category))
        yield code, category, now, mean, parts, level


def spike_cases(rule, facts, problems, ctx, focus):
    window = rule.window_days or 7
    rows = [(f.id, f.area_code, f.type_code, f.received) for f in facts if f.received <= ctx.today]
    for code, type_code, now, mean, parts, level in _spikes(rule, ctx, rows, "case"):
        yield Finding(rule.code, f"{rule.code}:{code}:{type_code}", level, code, _(
            "%(area)s: %(count)s new %(type)s cases in %(days)s days, baseline for the period %(baseline)s") % {
            "area": ctx.area_name(code), "count": len(now), "type": ctx.type_names.get(type_code, type_code),
            "days": window, "baseline": f"{mean:.1f}"} + _baseline_note(parts),
            cases=tuple(pk for pk, _ in now), started=min(day for _, day in now),
            numbers={"count": len(now), "baseline": round(mean, 2), **parts, "days": window})


def spike_problems(rule, facts, problems, ctx, focus):
    window = rule.window_days or 7
    rows = [(p.id, p.area_code, p.category, p.reported) for p in problems if p.reported <= ctx.today]
    for code, category, now, mean, parts, level in _spikes(rule, ctx, rows, "problem"):
        yield Finding(rule.code, f"{rule.code}:{code}:{category}", level, code, _(
            "%(area)s: %(count)s new grid problems (%(category)s) in %(days)s days, baseline for the period "
            "%(baseline)s") % {
            "area": ctx.area_name(code), "count": len(now), "category": ctx.category_names.get(category, category),
            "days": window, "baseline": f"{mean:.1f}"} + _baseline_note(parts),
            problems=tuple(pk for pk, _ in now), started=min(day for _, day in now),
            numbers={"count": len(now), "baseline": round(mean, 2), **parts, "days": window})


def _baseline_note(parts: dict) -> str:
    if parts["seasonal"] is not None and parts["recent"] is not None:
        return _(" (same weeks of earlier years %(seasonal)s, recent weeks %(recent)s)") % parts
    if parts["recent"] is not None:
        return _(" (recent weeks %(recent)s; no earlier years)") % parts
    return ""


# ---------------------------------------------------------------------------------------------- the table

# code → (function, what it reads): "case" rules look at each case in focus, "window" rules at the
# records of their window, "problem" rules at grid problems too.
DETECTORS = {
    "group.size": group_size,
    "group.respondent": group_respondent,
    "repeat.party": repeat_party,
    "repeat.returned": repeat_returned,
    "repeat.reopened": repeat_reopened,
    "danger.extreme": danger_extreme,
    "danger.mass": danger_mass,
    "harm.casualty": harm_casualty,
    "harm.amount": harm_amount,
    "stalled.major": stalled_major,
    "at_sea.casualty": sea_casualty,
    "at_sea.collision": sea_collision,
    "at_sea.vessel_repeat": sea_vessel_repeat,
    "at_sea.crew_wages": sea_crew_wages,
    "spike.cases": spike_cases,
    "spike.problems": spike_problems,
}
# Rules on one case (or problem) at a time: what a case's change can fire at once.
PER_RECORD = {"group.size", "repeat.returned", "repeat.reopened", "danger.extreme", "danger.mass", "harm.casualty", "harm.amount",
              "at_sea.casualty", "at_sea.collision", "stalled.major"}
# Rules on a group of related cases, also run at once on the group a changed case belongs to.
PER_GROUP = {"group.respondent", "repeat.party", "at_sea.vessel_repeat", "at_sea.crew_wages"}


def run(codes, facts: list[CaseFact], problems: list[ProblemFact], ctx: Context, *, focus=None,
        focus_problems=None) -> list[Finding]:
    """Every enabled rule among `codes` over the records. `focus` (cases) and `focus_problems` limit the
    per-record rules to those records and the group rules to findings that include them; None: all."""
    findings = []
    for code in codes:
        rule = ctx.rules.get(code)
        if rule is None or not rule.enabled or code not in DETECTORS:
            continue
        detector = DETECTORS[code]
        in_focus = facts if focus is None else focus
        if code in ("danger.extreme", "danger.mass"):
            chosen = problems if focus_problems is None else focus_problems
            found = list(detector(rule, facts, problems, ctx, in_focus, chosen))
        else:
            found = list(detector(rule, facts, problems, ctx, in_focus))
        if focus is not None and code in PER_GROUP:
            ids = {f.id for f in focus}
            found = [f for f in found if ids & set(f.cases)]
        findings.extend(found)
    return findings

