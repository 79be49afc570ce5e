"""Backtest of the early-warning rules: a simulated county year, known situations injected, the engine's
rules run day by day as they would have run, and for each rule recall, precision and the median delay.

    .venv/bin/python bench/warnings_backtest.py [--seed 7] [--cases 4000] [--problems 8000]

The county has 12 towns of 10 villages; three earlier years give the spikes their seasonal baseline and
the evaluated year follows. Background disputes and grid problems follow the statistics simulator's mix and
seasons (yiwang.stats.simulate: fewer in the 春节 month, more before it; grid problems up in the typhoon
months), with labour disputes up before 春节 and maritime ones down in the summer moratorium. Background
records are ordinary by construction (no danger words, at most four people, under the amount line, major
cases kept moving): any warning on them is a false alarm.

Each day, the day's new cases go through the instant rules with the cases related to them (sharing a party
or the vessel, as engine.related_cases reads them) and new grid reports through the danger words; at the
end of the day the pattern rules (stalled major cases, spikes) run over everything. Findings join the open
warning of their situation as the engine does (engine._apply); a warning is taken as resolved 14 days
after its last new case (a leader acts on it), after which the same situation can be raised again.

Maritime cases name a vessel of a simulated registry of 800 (200 of them in 20 fleets of ten, the rest
one owner each), as the maritime record lists them; injected sea situations include a death the record
counts but the text does not mention, and one owner's three boats in one dispute each. A case whose
judicial confirmation the court rejects is evaluated again on the day of the decision, as the decision's
case action would.

Rules, thresholds and detectors are the live defaults (yiwang.warnings.defaults, yiwang.warnings.detect):
no database is needed.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import os
import random
import statistics
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from yiwang.stats.simulate import CASE_MONTHS, CATEGORY_WEIGHTS, PROBLEM_MONTHS, TYPE_WEIGHTS  # noqa: E402
from yiwang.warnings import detect  # noqa: E402
from yiwang.warnings.defaults import build_rules  # noqa: E402
from yiwang.warnings.facts import CaseFact, Context, ProblemFact, normalise  # noqa: E402

YEAR = 2025
START = dt.date(YEAR - 3, 1, 1)
EVAL_START, EVAL_END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
TOWNS = [f"330903{100 + t}" for t in range(12)]
VILLAGES = [f"{town}{201 + v}" for town in TOWNS for v in range(10)]
RESOLVE_AFTER = 14
RELATED_DAYS = 400
INSTANT = {"group.size", "group.respondent", "repeat.party", "repeat.returned", "repeat.reopened", "danger.extreme",
           "danger.mass",
           "harm.casualty", "harm.amount", "at_sea.casualty", "at_sea.collision", "at_sea.vessel_repeat", "at_sea.crew_wages"}
PATTERN = ["stalled.major", "spike.cases", "spike.problems"]
TEXTS = {
    "neighbourhood": "邻居加建围墙影响通行，双方多次协商未果。", "labour": "工程完工后工资未结清，要求支付。",
    "marriage_family": "离婚后子女抚养费支付问题。", "contract": "货款未按合同约定支付。", "traffic": "两车刮擦，赔偿有分歧。",
    "maritime": "渔获分配有争议，要求按约定结算。", "property_management": "物业费收取标准有争议。",
}
# Each injected kind, the rule that should warn of it, and how many.
KINDS = {"group_forming": ("group.respondent", 15), "group_size": ("group.size", 10),
         "repeat_party": ("repeat.party", 10), "returned": ("repeat.returned", 10),
         "danger_extreme": ("danger.extreme", 10), "danger_mass": ("danger.mass", 10),
         "casualty": ("harm.casualty", 8), "amount": ("harm.amount", 8), "stalled": ("stalled.major", 8),
         "sea_casualty": ("at_sea.casualty", 8), "collision": ("at_sea.collision", 6), "vessel_repeat": ("at_sea.vessel_repeat", 6),
         "crew_wages": ("at_sea.crew_wages", 6), "spike_small": ("spike.cases", 8), "spike_medium": ("spike.cases", 8),
         "spike_large": ("spike.cases", 6), "spike_town": ("spike.cases", 6), "problem_spike": ("spike.problems", 8),
         "problem_words": ("danger.mass", 5), "reopened": ("repeat.reopened", 8),
         "dead_on_record": ("at_sea.casualty", 4), "owner_repeat": ("at_sea.vessel_repeat", 6)}
# The vessel registry: 800 vessels; the first 200 belong to 20 fleet companies of ten, the rest to one
# owner each (an owner's boats together are one situation for at_sea.vessel_repeat).
VESSELS = 800
FLEET_VESSELS, FLEET_SIZE = 200, 10


def owner_of(serial: int) -> str:
    return f"cc:FLEET{serial // FLEET_SIZE}" if serial < FLEET_VESSELS else f"id:OWNER{serial}"


class Sim:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.next_id = 1
        self.cases: list[CaseFact] = []
        self.problems: list[ProblemFact] = []
        self.sessions: dict[int, list[dt.date]] = {}  # case → session days (stalled rule reads the last ≤ today)
        self.situation: dict[tuple[str, int], int] = {}  # ("case"|"problem", id) → situation
        self.situations: list[dict] = []
        self.village_weight = {v: rng.lognormvariate(0, 0.6) for v in VILLAGES}

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def village(self) -> str:
        return self.rng.choices(VILLAGES, weights=[self.village_weight[v] for v in VILLAGES])[0]

    def case(self, day, *, area=None, type_code=None, text=None, people=None, applicants=None, respondents=None,
             vessel="", amount=None, tier=None, closed_on=None, sessions=None, situation=None, owner=None,
             **extra) -> CaseFact:
        rng = self.rng
        type_code = type_code or _type(rng, day)
        person = lambda: f"id:P{rng.randrange(300_000)}"  # noqa: E731
        company = lambda: f"cc:C{rng.randrange(1500)}"  # noqa: E731
        if respondents is None:
            respondents = (company() if type_code in ("labour", "contract", "property_management") and rng.random() < 0.7
                           else person(),)
        if type_code == "maritime" and not vessel:
            serial = rng.randrange(VESSELS)
            vessel, owner = f"浙普渔{serial:05d}", owner or owner_of(serial)
        if vessel and owner:  # a vessel of the registry, with its owner
            extra.update(vessels=(normalise(vessel),), vessel_names=(vessel,), owners=(owner,), owner_names=("某船东",))
        tier = tier or rng.choices(["village", "town", "district"], weights=[60, 35, 5])[0]
        if sessions is None:  # ordinary cases keep moving: a session every 2-6 days until closed in 10-40 days
            length = rng.randint(10, 40)
            sessions, at = [], day
            while (at - day).days < length:
                at += dt.timedelta(days=rng.randint(2, 6))
                sessions.append(at)
            closed_on = closed_on or sessions[-1]
        fact = CaseFact(
            id=self.new_id(), area_code=area or self.village(), type_code=type_code, received=day,
            maritime=type_code == "maritime", people=people or rng.choices([1, 2, 3, 4], weights=[85, 10, 4, 1])[0],
            amount=amount if amount is not None else round(min(rng.lognormvariate(9.9, 1.2), 400_000), 2),
            text=normalise(text or TEXTS.get(type_code, "双方就赔偿金额有分歧。")), vessel=normalise(vessel),
            vessel_label=vessel, applicants=applicants or (person(),), respondents=respondents,
            respondent_names=tuple("某公司" for _ in respondents), tier=tier, is_open=True, closed_on=closed_on,
            deadline=day + dt.timedelta(days=45 if tier == "district" else 30), last_activity=day, **extra)
        self.cases.append(fact)
        self.sessions[fact.id] = sessions
        if situation is not None:
            self.situation[("case", fact.id)] = situation
        return fact

    def problem(self, day, *, area=None, category=None, text="河道垃圾堆积", situation=None) -> ProblemFact:
        fact = ProblemFact(id=self.new_id(), area_code=area or self.village(),
                           category=category or _pick(self.rng, CATEGORY_WEIGHTS), reported=day, text=normalise(text))
        self.problems.append(fact)
        if situation is not None:
            self.situation[("problem", fact.id)] = situation
        return fact

    def open_situation(self, kind: str, start: dt.date) -> int:
        self.situations.append({"kind": kind, "rule": KINDS[kind][0], "start": start})
        return len(self.situations) - 1


def _pick(rng, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _type(rng, day: dt.date) -> str:
    weights = dict(TYPE_WEIGHTS)
    if day.month in (12, 1):
        weights["labour"] *= 1.8  # wages before 春节
    if 5 <= day.month <= 9:
        weights["maritime"] *= 0.4  # boats in port for the moratorium
    return _pick(rng, weights)


def _poisson(rng, mean: float) -> int:
    # Knuth's method is fine for daily means of a few dozen.
    limit, k, p = 2.718281828459045 ** -mean, 0, 1.0
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def background(sim: Sim, cases_per_year: int, problems_per_year: int) -> None:
    rng = sim.rng
    day = START
    while day <= EVAL_END:
        weekend = 0.5 if day.weekday() >= 5 else 1.0
        for _ in range(_poisson(rng, cases_per_year / 365 * CASE_MONTHS[day.month - 1] * weekend / 0.93)):
            sim.case(day)
        for _ in range(_poisson(rng, problems_per_year / 365 * PROBLEM_MONTHS[day.month - 1] * weekend / 1.0)):
            sim.problem(day)
        day += dt.timedelta(days=1)


def inject(sim: Sim) -> None:
    rng = sim.rng

    def when(margin=30) -> dt.date:
        return EVAL_START + dt.timedelta(days=rng.randrange(365 - margin))

    def later(start, span) -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, span))

    for kind, (_rule, count) in KINDS.items():
        for _ in range(count):
            start, area = when(), sim.village()
            s = sim.open_situation(kind, start)
            if kind == "group_forming":
                company = f"cc:INJECTED{s}"
                days = sorted([start] + [later(start, rng.randint(3, 20)) for _ in range(rng.randint(2, 5))])
                for day in days:
                    sim.case(day, area=area, type_code="labour", respondents=(company,), situation=s)
            elif kind == "group_size":
                sim.case(start, area=area, people=rng.choice([5, 8, 12, 35, 60, 150]), situation=s)
            elif kind == "repeat_party":
                person = f"id:REPEAT{s}"
                for day in sorted([start] + [later(start, 80) for _ in range(rng.randint(2, 3))]):
                    sim.case(day, area=area, applicants=(person,), situation=s)
            elif kind == "returned":
                a, b = f"id:RA{s}", f"id:RB{s}"
                closed = start + dt.timedelta(days=20)
                sim.case(start - dt.timedelta(days=rng.randint(200, 300)), area=area, applicants=(a,), respondents=(b,),
                         closed_on=start - dt.timedelta(days=rng.randint(20, 180)), sessions=[], situation=s)
                sim.case(start, area=area, applicants=(b,), respondents=(a,), closed_on=closed, situation=s)
            elif kind == "danger_extreme":
                sim.case(start, area=area, text=rng.choice(["他说再不解决就去跳楼", "扬言要同 归 于 尽", "说要喝农药"]),
                         situation=s)
            elif kind == "danger_mass":
                sim.case(start, area=area, text=rng.choice(["工友们准备拉横幅", "村民要集体上访", "准备去堵路讨说法"]),
                         situation=s)
            elif kind == "casualty":
                sim.case(start, area=area, type_code="personal_injury", text="施工中一人当场死亡，家属要求赔偿", situation=s)
            elif kind == "amount":
                sim.case(start, area=area, type_code="contract", amount=rng.choice([600_000, 3_000_000, 12_000_000]),
                         situation=s)
            elif kind == "stalled":
                sim.case(start, area=area, tier="district", sessions=[start + dt.timedelta(days=2)],
                         closed_on=start + dt.timedelta(days=80), situation=s)
            elif kind == "sea_casualty":
                sim.case(start, area=area, type_code="maritime", text="作业时一名船员落水失踪", situation=s)
            elif kind == "collision":
                sim.case(start, area=area, type_code="maritime", text=f"浙普渔{s:05d}与浙岱渔{s + 1:05d}在东极海域碰撞",
                         situation=s)
            elif kind in ("vessel_repeat", "crew_wages"):
                vessel = f"浙普渔9{s:04d}"
                count = rng.randint(3, 4)
                for day in sorted([start] + [later(start, 40 if kind == "vessel_repeat" else 15) for _ in range(count - 1)]):
                    sim.case(day, area=area, type_code="maritime", vessel=vessel, people=2 if kind == "crew_wages" else 1,
                             text="船员追讨工资" if kind == "crew_wages" else "渔获分配有争议", situation=s)
            elif kind.startswith("spike"):
                size = {"spike_small": 7, "spike_medium": 10, "spike_large": 20, "spike_town": 14}[kind]
                town = area[:9]
                type_code = rng.choice(["labour", "neighbourhood", "contract", "property_management"])
                for _ in range(size):
                    where = (f"{town}{201 + rng.randrange(10)}" if kind == "spike_town" else area)
                    sim.case(start + dt.timedelta(days=rng.randrange(6)), area=where, type_code=type_code, situation=s)
            elif kind == "problem_spike":
                category = rng.choice(list(CATEGORY_WEIGHTS))
                for _ in range(rng.randint(9, 16)):
                    sim.problem(start + dt.timedelta(days=rng.randrange(6)), area=area, category=category, situation=s)
            elif kind == "problem_words":
                sim.problem(start, area=area, category="dispute", text="村民说要去堵路拉横幅", situation=s)
            elif kind == "reopened":  # registered weeks before; the court rejects the agreement's confirmation
                sim.case(start - dt.timedelta(days=rng.randint(20, 60)), area=area, type_code="contract",
                         reopened_on=start, reopen_reason="协议内容违反法律规定", closed_on=start + dt.timedelta(days=30),
                         situation=s)
            elif kind == "dead_on_record":  # the text says nothing of it; the maritime record counts one dead
                sim.case(start, area=area, type_code="maritime", text="双方就赔偿金额有分歧", dead=1, situation=s)
            elif kind == "owner_repeat":  # one owner's three boats, one dispute each
                owner = f"id:INJECTEDOWNER{s}"
                for k, day in enumerate(sorted([start] + [later(start, 40) for _ in range(2)])):
                    sim.case(day, area=area, type_code="maritime", vessel=f"浙普渔8{s:03d}{k}", owner=owner, situation=s)


class Ledger:
    """The engine's warnings, in memory: one open warning per situation key, new records joining it."""

    def __init__(self):
        self.open: dict[str, dict] = {}
        self.closed: dict[str, list[dict]] = defaultdict(list)
        self.all: list[dict] = []

    def close_stale(self, today):
        for key in [k for k, w in self.open.items() if (today - w["last"]).days >= RESOLVE_AFTER]:
            self.closed[key].append(self.open.pop(key))

    def apply(self, finding: detect.Finding, today: dt.date) -> None:
        records = {("case", pk) for pk in finding.cases} | {("problem", pk) for pk in finding.problems}
        warning = self.open.get(finding.key)
        if warning is not None:
            new = records - warning["records"]
            if new:
                warning["records"] |= new
                warning["last"] = today
            return
        covered = set().union(*(w["records"] for w in self.closed[finding.key])) if self.closed[finding.key] else set()
        if records <= covered:
            return
        warning = {"rule": finding.rule, "key": finding.key, "raised": today, "last": today, "records": records,
                   "level": finding.level}
        self.open[finding.key] = warning
        self.all.append(warning)


def run_engine(sim: Sim) -> Ledger:
    rules = build_rules()
    ctx = Context(today=EVAL_START, rules=rules, earliest=START, type_names={}, area_names={})
    cases = sorted(sim.cases, key=lambda f: (f.received, f.id))
    problems = sorted(sim.problems, key=lambda p: (p.reported, p.id))
    case_days = [f.received for f in cases]
    problem_days = [p.reported for p in problems]
    by_party, by_vessel = defaultdict(list), defaultdict(list)
    reopened = defaultdict(list)  # day → the cases the court's rejection opens again that day
    for fact in cases:
        if fact.reopened_on:
            reopened[fact.reopened_on].append(fact)
    ledger = Ledger()

    def index_fact(fact):
        for key in fact.parties:
            by_party[key].append(fact)
        for key in {fact.vessel, *(f"owner:{o}" for o in fact.owners)} - {""}:
            by_vessel[key].append(fact)

    def related(fact, day):
        since = day - dt.timedelta(days=RELATED_DAYS)
        found = {f.id: f for key in fact.parties for f in by_party[key] if f.received >= since}
        for key in {fact.vessel, *(f"owner:{o}" for o in fact.owners)} - {""}:
            found.update({f.id: f for f in by_vessel.get(key, []) if f.received >= since})
        return [f if f.id != fact.id else fact for f in found.values()] + ([] if fact.id in found else [fact])

    index = bisect.bisect_left(case_days, EVAL_START)
    for fact in cases[:index]:
        index_fact(fact)
    day = EVAL_START
    with translation.override("zh-hans"):
        while day <= EVAL_END:
            ctx.today = day
            ledger.close_stale(day)
            end = bisect.bisect_right(case_days, day)
            for fact in cases[index:end]:  # each new case, as its registration's hook would see it
                index_fact(fact)
                now = replace(fact, reopened_on=None) if fact.reopened_on and fact.reopened_on > day else fact
                for finding in detect.run(INSTANT, related(now, day), [], ctx, focus=[now]):
                    ledger.apply(finding, day)
            index = end
            for fact in reopened.get(day, []):  # the court's decision is a case action: its hook runs the rules
                for finding in detect.run(INSTANT, related(fact, day), [], ctx, focus=[fact]):
                    ledger.apply(finding, day)
            p_start, p_end = bisect.bisect_left(problem_days, day), bisect.bisect_right(problem_days, day)
            todays_problems = problems[p_start:p_end]
            for finding in detect.run(["danger.extreme", "danger.mass"], [], todays_problems, ctx, focus=[],
                                      focus_problems=todays_problems):
                ledger.apply(finding, day)
            # The schedule, at the end of the day: stalled major cases as they stand today, and the spikes.
            window = cases[bisect.bisect_left(case_days, day - dt.timedelta(days=RELATED_DAYS)):end]
            majors = [as_of(sim, f, day) for f in window if f.tier == "district" or f.people >= 5]
            for finding in detect.run(["stalled.major"], [f for f in majors if f.is_open], [], ctx):
                ledger.apply(finding, day)
            for finding in detect.run(["spike.cases"], cases[:end], [], ctx):
                ledger.apply(finding, day)
            for finding in detect.run(["spike.problems"], [], problems[:p_end], ctx):
                ledger.apply(finding, day)
            day += dt.timedelta(days=1)
    return ledger


def as_of(sim: Sim, fact: CaseFact, day: dt.date) -> CaseFact:
    held = [d for d in sim.sessions.get(fact.id, []) if d <= day]
    is_open = fact.closed_on is None or fact.closed_on > day
    return replace(fact, is_open=is_open, last_activity=max(held) if held else fact.received)


def score(sim: Sim, ledger: Ledger) -> list[tuple]:
    per_rule = defaultdict(lambda: {"warnings": 0, "true": 0, "situations": 0, "found": 0, "delays": []})
    first_warning: dict[int, dt.date] = {}
    for warning in ledger.all:
        matched = {sim.situation[r] for r in warning["records"] if r in sim.situation}
        row = per_rule[warning["rule"]]
        row["warnings"] += 1
        row["true"] += bool(matched)
        for s in matched:
            if sim.situations[s]["rule"] == warning["rule"]:
                first_warning[s] = min(first_warning.get(s, warning["raised"]), warning["raised"])
    for s, situation in enumerate(sim.situations):
        row = per_rule[situation["rule"]]
        row["situations"] += 1
        if s in first_warning:
            row["found"] += 1
            row["delays"].append((first_warning[s] - situation["start"]).days)
    rows = []
    for rule in sorted(per_rule):
        r = per_rule[rule]
        rows.append((rule, r["situations"], r["found"], r["warnings"], r["true"], r["delays"]))
    return rows


def background_share(ledger: Ledger, sim: Sim) -> tuple[int, int]:
    evaluated = {f.id for f in sim.cases if f.received >= EVAL_START}
    warned = {pk for w in ledger.all for kind, pk in w["records"] if kind == "case" and pk in evaluated}
    return len(warned), len(evaluated)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", type=int, default=4000, help="background disputes per year")
    parser.add_argument("--problems", type=int, default=8000, help="background grid problems per year")
    args = parser.parse_args()

    sim = Sim(random.Random(args.seed))
    background(sim, args.cases, args.problems)
    inject(sim)
    ledger = run_engine(sim)
    rows = score(sim, ledger)
    print(f"County year {YEAR}, seed {args.seed}: {sum(1 for f in sim.cases if f.received >= EVAL_START)} cases, "
          f"{sum(1 for p in sim.problems if p.reported >= EVAL_START)} grid problems, {len(sim.situations)} injected")
    print(f"{'rule':<20}{'injected':>9}{'warned':>8}{'recall':>8}{'warnings':>10}{'precision':>10}{'median delay (d)':>18}")
    total = [0, 0, 0, 0, []]
    for rule, situations, found, warnings, true, delays in rows:
        recall = f"{found / situations:.2f}" if situations else "–"
        precision = f"{true / warnings:.2f}" if warnings else "–"
        delay = f"{statistics.median(delays):.1f}" if delays else "–"
        print(f"{rule:<20}{situations:>9}{found:>8}{recall:>8}{warnings:>10}{precision:>10}{delay:>18}")
        total[0] += situations
        total[1] += found
        total[2] += warnings
        total[3] += true
        total[4] += delays
    print(f"{'overall':<20}{total[0]:>9}{total[1]:>8}{total[1] / total[0]:>8.2f}{total[2]:>10}"
          f"{total[3] / max(total[2], 1):>10.2f}{statistics.median(total[4]):>18.1f}")

    quiet = Sim(random.Random(args.seed))
    background(quiet, args.cases, args.problems)
    quiet_ledger = run_engine(quiet)
    warned, evaluated = background_share(quiet_ledger, quiet)
    by_rule = defaultdict(int)
    for warning in quiet_ledger.all:
        by_rule[warning["rule"]] += 1
    print(f"Background only (no injection): {len(quiet_ledger.all)} warnings "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_rule.items())) or 'none'}); "
          f"{warned} of {evaluated} cases warned = {warned / evaluated:.2%}")


if __name__ == "__main__":
    main()
