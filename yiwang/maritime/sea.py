"""Sea areas as data: the file format, its checks, loading it, and finding the area around a position.

The file (`yiwang load_sea_areas FILE`, the demo loads data/sea_areas.csv) has one row per area:

    code,kind,name,parent,min_lat,max_lat,min_lon,max_lon,handling_area

kind is `zone` (渔区, exactly 30′ × 30′ on the 30′ grid), `subzone` (小渔区, 10′ × 10′ inside its zone,
whose code is the zone's, a dash and 1–9) or `water` (a named water, any box). handling_area is the
division code whose centre handles disputes there. A bad file is refused with line numbers and nothing is
imported; loading the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.areas.models import Area
from yiwang.core.errors import InputError
from yiwang.maritime.models import SeaArea, SeaAreaKind

DATA_FILE = Path(__file__).resolve().parent / "data" / "sea_areas.csv"
COLUMNS = ["code", "kind", "name", "parent", "min_lat", "max_lat", "min_lon", "max_lon", "handling_area"]
ZONE = Decimal("0.5")  # 30′
SUBZONE = Decimal(1) / Decimal(6)  # 10′
TOLERANCE = Decimal("0.0001")  # edges are written with five decimals: 10′ is 0.16667°


def subzone_number(zone: SeaArea | dict, lat: Decimal, lon: Decimal) -> int:
    """1–9 from the zone's north-west corner, row by row: 1 2 3 / 4 5 6 / 7 8 9."""
    row = min(2, int((Decimal(zone["max_lat"] if isinstance(zone, dict) else zone.max_lat) - lat) / SUBZONE))
    column = min(2, int((lon - Decimal(zone["min_lon"] if isinstance(zone, dict) else zone.min_lon)) / SUBZONE))
    return row * 3 + column + 1


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TOLERANCE


def _on_grid(value: Decimal, step: Decimal) -> bool:
    return _close(value / step, (value / step).to_integral_value())


def check_rows(rows: list[dict]) -> dict[str, list[str]]:
    """Errors by line ("line 3"), empty when every row is a well-formed sea area."""
    errors: dict[str, list[str]] = {}
    zones = {row["code"]: row for row in rows if row.get("kind") == SeaAreaKind.ZONE}
    areas = set(Area.objects.filter(code__in={row.get("handling_area", "") for row in rows})
                .values_list("code", flat=True))
    seen = set()
    for line, row in enumerate(rows, start=2):
        problems = []
        code, kind = row.get("code", "").strip(), row.get("kind", "").strip()
        if not code:
            problems.append(_("no code"))
        elif code in seen:
            problems.append(_("code %(code)s appears twice") % {"code": code})
        seen.add(code)
        if kind not in SeaAreaKind.values:
            problems.append(_("kind must be zone, subzone or water"))
        if not row.get("name", "").strip():
            problems.append(_("no name"))
        try:
            box = {key: Decimal(row[key]) for key in ("min_lat", "max_lat", "min_lon", "max_lon")}
        except (InvalidOperation, KeyError, TypeError):
            problems.append(_("the edges must be decimal degrees"))
            box = None
        if box is not None:
            if not (-90 <= box["min_lat"] < box["max_lat"] <= 90 and -180 <= box["min_lon"] < box["max_lon"] <= 180):
                problems.append(_("the south and west edges must lie below the north and east edges"))
            elif kind == SeaAreaKind.ZONE and not (
                    _close(box["max_lat"] - box["min_lat"], ZONE) and _close(box["max_lon"] - box["min_lon"], ZONE)
                    and _on_grid(box["min_lat"], ZONE) and _on_grid(box["min_lon"], ZONE)):
                problems.append(_("a fishing zone is 30′ × 30′ on the 30′ grid"))
            elif kind == SeaAreaKind.SUBZONE:
                zone = zones.get(row.get("parent", "").strip())
                if zone is None:
                    problems.append(_("a small fishing zone names its fishing zone (parent)"))
                elif not (_close(box["max_lat"] - box["min_lat"], SUBZONE)
                          and _close(box["max_lon"] - box["min_lon"], SUBZONE)):
                    problems.append(_("a small fishing zone is 10′ × 10′"))
                else:
                    inside = (Decimal(zone["min_lat"]) - TOLERANCE <= box["min_lat"]
                              and box["max_lat"] <= Decimal(zone["max_lat"]) + TOLERANCE
                              and Decimal(zone["min_lon"]) - TOLERANCE <= box["min_lon"]
                              and box["max_lon"] <= Decimal(zone["max_lon"]) + TOLERANCE)
                    number = subzone_number(zone, box["min_lat"] + SUBZONE / 2, box["min_lon"] + SUBZONE / 2)
                    if not inside:
                        problems.append(_("a small fishing zone lies inside its fishing zone"))
                    elif code != f"{zone['code']}-{number}":
                        problems.append(_("this small fishing zone is number %(n)s: its code is %(code)s")
                                        % {"n": number, "code": f"{zone['code']}-{number}"})
        if row.get("handling_area", "").strip() not in areas:
            problems.append(_("handling_area is not a known division code"))
        if problems:
            errors[f"line {line}"] = ["; ".join(problems)]
    return errors


def read_rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise InputError({"file": _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}})
    return [{key: (value or "").strip() for key, value in row.items() if key} for row in reader]


@transaction.atomic
def load_sea_areas(text: str) -> int:
    """Create or update every area of the file (all or nothing); returns how many rows it holds. Not an
    action of a user: master data loaded by the command and the demo, like the division file."""
    rows = read_rows(text)
    errors = check_rows(rows)
    if errors:
        raise InputError(errors)
    order = {SeaAreaKind.ZONE: 0, SeaAreaKind.WATER: 1, SeaAreaKind.SUBZONE: 2}
    for row in sorted(rows, key=lambda r: order[r["kind"]]):
        SeaArea.objects.update_or_create(code=row["code"], defaults={
            "kind": row["kind"], "name": row["name"], "parent_id": row["parent"] or None,
            "min_lat": row["min_lat"], "max_lat": row["max_lat"], "min_lon": row["min_lon"],
            "max_lon": row["max_lon"], "handling_area_id": row["handling_area"],
        })
    return len(rows)


@dataclass
class Location:
    """Where a position lies: its small zone and zone (if on the configured grid), the named water (if
    any), and the land area whose centre handles it (the water's, else the small zone's)."""

    zone: SeaArea | None
    subzone: SeaArea | None
    water: SeaArea | None

    @property
    def sea_area(self) -> SeaArea:
        return self.water or self.subzone or self.zone

    @property
    def handling_area(self) -> Area:
        return self.sea_area.handling_area


def check_position(lat, lon) -> tuple[Decimal, Decimal]:
    """Decimal degrees; InputError with a message per field otherwise."""
    errors, values = {}, []
    for field, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
        try:
            number = Decimal(str(value).strip())
            if not number.is_finite() or abs(number) > limit:
                raise InvalidOperation
            values.append(number.quantize(Decimal("0.00001")))
        except (InvalidOperation, ValueError, TypeError):
            errors[field] = _("Give the %(what)s in decimal degrees.") % {
                "what": _("latitude") if field == "lat" else _("longitude")}
    if errors:
        raise InputError(errors)
    return values[0], values[1]


def locate(lat, lon) -> Location | None:
    """The sea areas around a position, or None when it lies in none configured."""
    lat, lon = check_position(lat, lon)
    found = list(SeaArea.objects.containing(lat, lon).select_related("handling_area", "parent"))
    waters = sorted((a for a in found if a.kind == SeaAreaKind.WATER),
                    key=lambda a: (a.max_lat - a.min_lat) * (a.max_lon - a.min_lon))
    subzone = next((a for a in found if a.kind == SeaAreaKind.SUBZONE), None)
    zone = next((a for a in found if a.kind == SeaAreaKind.ZONE), None) or (subzone.parent if subzone else None)
    if not (waters or zone):
        return None
    return Location(zone=zone, subzone=subzone, water=waters[0] if waters else None)
