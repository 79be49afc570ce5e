"""Synthetic years of cases and grid problems across 浙江省 for scale tests (`yiwang simulate`,
bench/stats_bench.py). Rows are bulk-inserted, past the actions (and their hooks), so the caller rebuilds the statistics.

The mix and the seasons are plausible rather than measured: fewer disputes in the 春节 month and at
weekends, more in the months before it (wages, debts); grid problems rise in the typhoon season
(July to September) and fall in the Spring Festival month.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

from django.db import transaction
from django.utils import timezone

TYPE_WEIGHTS = {
    "neighbourhood": 20, "marriage_family": 12, "labour": 10, "contract": 10, "traffic": 8,
    "property_management": 8, "personal_injury": 6, "financial": 6, "land_and_housing": 5, "other": 4,
    "maritime": 3, "petition": 3, "medical": 2, "labour_arbitration": 2, "litigation_service": 1, "legal_aid": 1,
    "administrative_review": 1,
}
CHANNEL_WEIGHTS = {"window": 40, "online": 20, "phone": 15, "grid": 10, "court_delegation": 5, "bank": 5,
                   "hotline_12345": 5}
TIER_WEIGHTS = {"village": 60, "town": 30, "district": 10}
CASE_MONTHS = [1.0, 0.55, 1.0, 1.0, 1.0, 1.0, 1.05, 1.05, 1.0, 0.85, 1.05, 1.2]  # Feb: 春节; Oct: 国庆
PROBLEM_MONTHS = [0.9, 0.6, 1.0, 1.0, 1.0, 1.1, 1.4, 1.5, 1.4, 1.0, 0.9, 0.9]  # typhoons Jul–Sep
CATEGORY_WEIGHTS = {"environment": 35, "safety": 20, "livelihood": 20, "dispute": 15, "other": 10}
PROBLEM_CHANNELS = {"visit": 80, "web": 10, "open311": 10}
PROBLEM_TIERS = {"general": 85, "major": 12, "serious": 3}
BATCH = 5000


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(rng: random.Random, start: dt.date, days: int, months: list[float], weekend: float) -> dt.datetime:
    """A local time within `days` after `start`, drawn with the monthly and weekend weights."""
    top = max(months)
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        weight = months[day.month - 1] * (weekend if day.weekday() >= 5 else 1.0)
        if rng.random() * top <= weight:
            minutes = rng.randint(8 * 60, 18 * 60) if rng.random() < 0.9 else rng.randint(0, 24 * 60 - 1)
            return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


class World:
    """Divisions of 浙江省, a town centre per township, dispute types and a user who owns the cases."""

    def __init__(self, out=print):
        from yiwang.accounts.demo import sync_roles
        from yiwang.accounts.models import User
        from yiwang.areas.actions import ZHEJIANG_FILE, do_load_divisions
        from yiwang.areas.demo import DISPUTE_TYPES
        from yiwang.areas.models import Area, Centre, CentreLevel, DisputeType
        from yiwang.core.codes import Level

        started = time.monotonic()
        do_load_divisions(ZHEJIANG_FILE)
        sync_roles()
        for order, (code, name, maritime, court) in enumerate(DISPUTE_TYPES):
            DisputeType.objects.get_or_create(
                code=code, defaults={"name": name, "maritime": maritime, "litigation_bound": court,
                                     "sort_order": order * 10})
        self.types = {t.code: t.pk for t in DisputeType.objects.filter(code__in=TYPE_WEIGHTS)}
        towns = list(Area.objects.filter(level=Level.TOWNSHIP).values_list("code", "name"))
        existing = set(Centre.objects.values_list("area_id", flat=True))
        Centre.objects.bulk_create(
            [Centre(code=f"T{code}", name=f"{name}社会治理中心", level=CentreLevel.TOWN, area_id=code)
             for code, name in towns if code not in existing],
            ignore_conflicts=True,
        )
        self.centre_of = {}
        for area_id, pk in Centre.objects.order_by("-id").values_list("area_id", "id"):
            self.centre_of[area_id] = pk
        self.villages = list(Area.objects.filter(level=Level.VILLAGE).values_list("code", flat=True))
        self.owner, _created = User.objects.get_or_create(username="simulation", defaults={"display_name": "模拟数据"})
        out(f"world: {len(self.villages):,} villages, {len(towns):,} townships ({time.monotonic() - started:.0f} s)")

    def centre_for(self, village: str) -> int:
        from yiwang.core.codes import ancestor_codes

        for code in reversed(ancestor_codes(village)):
            if code in self.centre_of:
                return self.centre_of[code]
        raise LookupError(f"no centre for {village}")


def _case_state(rng: random.Random, age_days: int) -> tuple[str, str]:
    """(status, outcome) for a case received `age_days` ago."""
    if age_days > 60 or rng.random() < age_days / 60:
        roll = rng.random()
        if roll < 0.02:
            return "merged", "merged"
        if roll < 0.07:
            return "not_accepted", "not_accepted"
        if roll < 0.14:
            return "withdrawn", "withdrawn"
        if roll < 0.75:
            return "archived", "agreement"
        if roll < 0.88:
            return "archived", "referred"
        return "archived", "terminated"
    return rng.choice([("registered", ""), ("accepted", ""), ("assigned", ""), ("mediating", ""),
                       ("mediating", ""), ("agreed", "agreement"), ("performing", "agreement")])


def fill_cases(world: World, count: int, years: int, rng: random.Random, out=print) -> int:
    from yiwang.cases.models import CLOSED_STATUSES, Case

    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * years)
    run = uuid.uuid4().hex[:6].upper()
    started, made = time.monotonic(), 0
    while made < count:
        rows = []
        for i in range(min(BATCH, count - made)):
            village = rng.choice(world.villages)
            centre = world.centre_for(village)
            received = _moment(rng, start, 365 * years, CASE_MONTHS, weekend=0.35)
            age = (today - timezone.localtime(received).date()).days
            status, outcome = _case_state(rng, age)
            closed_at = None
            if status in CLOSED_STATUSES:
                closed_at = min(received + dt.timedelta(days=rng.randint(0, 45), hours=rng.randint(0, 8)),
                                timezone.now())
            rows.append(Case(
                number=f"SIM{run}-{made + i:08d}", channel=_pick(rng, CHANNEL_WEIGHTS),
                dispute_type_id=world.types[_pick(rng, TYPE_WEIGHTS)], area_id=village, centre_id=centre,
                registered_centre_id=centre, tier=_pick(rng, TIER_WEIGHTS), status=status, outcome=outcome,
                facts="模拟数据：邻里纠纷。", claims="请求调解。", received_at=received,
                deadline=(received + dt.timedelta(days=30)).date(), owner=world.owner,
                visits=rng.choice((0, 1, 1, 1, 1, 2, 2, 3)), closed_at=closed_at,
                satisfaction=rng.choice((3, 4, 4, 5, 5, 5)) if status == "archived" and rng.random() < 0.8 else None,
            ))
        with transaction.atomic():
            Case.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
        if made % 100_000 < BATCH:
            out(f"  … {made:,} cases ({time.monotonic() - started:.0f} s)")
    return made


def _problem_state(rng: random.Random, age_days: int) -> str:
    if age_days > 14 or rng.random() < age_days / 14:
        roll = rng.random()
        if roll < 0.04:
            return "invalid"
        if roll < 0.06:
            return "parked"
        if roll < 0.07:
            return "in_progress"
        return "closed"
    return rng.choice(["reported", "accepted", "dispatched", "in_progress", "feedback", "closed", "closed"])


def fill_problems(world: World, count: int, years: int, rng: random.Random, out=print) -> int:
    from yiwang.grids.models import Problem

    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * years)
    started, made = time.monotonic(), 0
    while made < count:
        rows = []
        for _i in range(min(BATCH, count - made)):
            reported = _moment(rng, start, 365 * years, PROBLEM_MONTHS, weekend=0.6)
            age = (today - timezone.localtime(reported).date()).days
            state = _problem_state(rng, age)
            closed_at = None
            if state == "closed":
                closed_at = min(reported + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 7, 10))),
                                timezone.now())
            rows.append(Problem(
                category=_pick(rng, CATEGORY_WEIGHTS), description="模拟数据", area_id=rng.choice(world.villages),
                tier=_pick(rng, PROBLEM_TIERS), state=state, channel=_pick(rng, PROBLEM_CHANNELS),
                reported_at=reported, accept_due=(reported + dt.timedelta(days=2)).date(), closed_at=closed_at,
                token=uuid.uuid4().hex, updated_at=reported,
            ))
        with transaction.atomic():
            Problem.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
        if made % 500_000 < BATCH:
            out(f"  … {made:,} problems ({time.monotonic() - started:.0f} s)")
    return made


def fill_visits(world: World, count: int, years: int, rng: random.Random, out=print) -> int:
    """Grid visits (one grid per village, made here if missing), on the weekly visit day mostly."""
    from yiwang.grids.models import Grid, Visit

    have = set(Grid.objects.filter(code__endswith="G01").values_list("area_id", flat=True))
    Grid.objects.bulk_create([Grid(code=f"{v}G01", name="第1网格", area_id=v) for v in world.villages if v not in have],
                             batch_size=BATCH, ignore_conflicts=True)
    grids = dict(Grid.objects.filter(code__endswith="G01").values_list("area_id", "id"))
    today = timezone.localdate()
    start = today - dt.timedelta(days=365 * years)
    made = 0
    while made < count:
        rows = []
        for _i in range(min(BATCH, count - made)):
            village = rng.choice(world.villages)
            day = timezone.localtime(_moment(rng, start, 365 * years, PROBLEM_MONTHS, weekend=0.2)).date()
            rows.append(Visit(grid_id=grids[village], area_id=village, date=day,
                              households_visited=rng.randint(5, 40)))
        with transaction.atomic():
            Visit.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    out(f"  {made:,} visits")
    return made
