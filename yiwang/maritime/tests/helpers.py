"""What the maritime tests build, through the actions (as factories.py does for cases)."""

from __future__ import annotations

import itertools

from yiwang.maritime import actions
from yiwang.maritime.models import Agency, AgencyKind
from yiwang.testing import factories as f

_serial = itertools.count(1)

# Positions with a known place on the shipped sea-area file (data/sea_areas.csv).
OFF_SHENJIAMEN = ("29.951", "122.301")   # 沈家门渔港 (named water) in zone 104
OPEN_SEA = ("30.28", "122.75")          # zone 95, small zone 95-5: handled by 东极镇 (nearest town)
FAR_EAST = ("30.70", "123.80")          # zone 87: no town near, handled by the district
OUTSIDE = ("35.50", "120.50")           # off 山东: in no configured zone


def vessel(name=None, *, by="putuo_staff", kind="trawler", **extra):
    """A fishing vessel of a name and MMSI no demo vessel carries."""
    n = next(_serial)
    return actions.do_register_vessel(
        by=f.user(by), name=name or f"浙普渔{90000 + n}", kind=kind, mmsi=extra.pop("mmsi", f"41399{n:04d}"),
        owner_name=extra.pop("owner_name", f"欧阳船东{n}"), owner_phone=extra.pop("owner_phone", f"1396{n:07d}"),
        **extra)


def agency(kind=AgencyKind.COAST_GUARD) -> Agency:
    return Agency.objects.select_related("organisation").get(kind=kind)


def sea_case(*, vessels, by="putuo_staff", position=OFF_SHENJIAMEN, incident_kind="gear_damage", **extra):
    """A dispute at sea registered through the maritime intake."""
    lat, lon = position
    return actions.do_register_maritime_case(
        by=f.user(by), facts=extra.pop("facts", "拖网作业时缠坏对方刺网。"), claims=extra.pop("claims", "赔偿网具损失。"),
        applicants=extra.pop("applicants", [f.applicant()]), incident_kind=incident_kind, latitude=lat, longitude=lon,
        vessels=vessels, **extra)
