"""The fishing zones and named waters drawn as SVG from their own coordinates (offline: no map tiles),
each zone shaded by the number of open cases in it."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import escape
from django.utils.translation import gettext as _

from yiwang.maritime.models import SeaArea, SeaAreaKind

WIDTH = 640
MARGIN = 24


def render_zones(by_zone: dict[str | None, int], *, standalone: bool = False) -> str:
    """An <svg> of every configured zone and water; `by_zone` maps a zone's code to its open cases."""
    areas = list(SeaArea.objects.exclude(kind=SeaAreaKind.SUBZONE).order_by("kind", "code"))
    if not areas:
        return ""
    south, north = min(a.min_lat for a in areas), max(a.max_lat for a in areas)
    west, east = min(a.min_lon for a in areas), max(a.max_lon for a in areas)
    # An equirectangular projection at the middle latitude keeps the zones' proportions near 30°N.
    squash = Decimal(str(math.cos(math.radians(float(south + north) / 2))))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squash)
    height = int((north - south) * scale) + 2 * MARGIN

    def x(lon):
        return float((lon - west) * squash * scale) + MARGIN

    def y(lat):
        return float((north - lat) * scale) + MARGIN

    most = max([n for n in by_zone.values()] or [0]) or 1
    namespace = 'xmlns="http://www.w3.org/2000/svg" ' if standalone else ""
    label = escape(_("Fishing zones shaded by open cases"))
    parts = [f'<svg {namespace}viewBox="0 0 {WIDTH} {height}" '
             f'class="sea-map" role="img" aria-label="{label}">',
             '<rect width="100%" height="100%" fill="#eef6fb"/>']
    for area in areas:
        left, top = x(area.min_lon), y(area.max_lat)
        w, h = x(area.max_lon) - left, y(area.min_lat) - top
        if area.kind == SeaAreaKind.ZONE:
            n = by_zone.get(area.code, 0)
            opacity = 0.08 + 0.8 * n / most if n else 0
            title = escape(_("%(zone)s: %(n)s open cases") % {"zone": area.name, "n": n})
            parts.append(
                f'<g class="zone" data-zone="{escape(area.code)}" data-open="{n}"><title>{title}</title>'
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#c0392b" '
                f'fill-opacity="{opacity:.2f}" stroke="#5d7f99" stroke-width="0.8"/>'
                f'<text x="{left + 4:.1f}" y="{top + 14:.1f}" font-size="11" fill="#2c3e50">{escape(area.code)}'
                f'{f" · {n}" if n else ""}</text></g>')
        else:
            parts.append(
                f'<g class="water" data-water="{escape(area.code)}"><title>{escape(area.name)}</title>'
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#2e86c1" '
                f'fill-opacity="0.25" stroke="#1b4f72" stroke-width="0.8" stroke-dasharray="3 2"/></g>')
    for lat in sorted({a.min_lat for a in areas if a.kind == SeaAreaKind.ZONE} | {north}):
        parts.append(f'<text x="2" y="{y(lat) + 4:.1f}" font-size="9" fill="#566573">{_degrees(lat)}N</text>')
    for lon in sorted({a.min_lon for a in areas if a.kind == SeaAreaKind.ZONE} | {east}):
        parts.append(f'<text x="{x(lon) - 14:.1f}" y="{height - 6}" font-size="9" fill="#566573">{_degrees(lon)}E</text>')
    parts.append("</svg>")
    return "".join(parts)


def _degrees(value: Decimal) -> str:
    degrees = int(value)
    minutes = round((value - degrees) * 60)
    return f"{degrees}°{minutes:02d}′"
