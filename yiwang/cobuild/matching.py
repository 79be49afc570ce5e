"""Suggested resources for an open demand, ranked, each with the reasons shown to the community.

Only active resources that meet the demand's category and whose availability overlaps the demand's
time window are suggested. They are ranked by

  1. distance: the same community, then the same street (town), then the same district, then beyond;
  2. capacity: a resource that covers the whole need before one that covers part of it;
  3. how much of the window it is available for, then its capacity, then its age (stable order).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from yiwang.cobuild.models import Demand, Resource

# (length of the shared division-code prefix, rank, reason)
DISTANCES = ((12, 3, "same community"), (9, 2, "same street"), (6, 1, "same district"))


@dataclass
class Suggestion:
    """A resource suggested for a demand, with its rank key and the reasons in the reader's language."""

    resource: Resource
    distance: int
    covers: bool
    overlap_days: int
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (-self.distance, not self.covers, -self.overlap_days, -self.resource.capacity, self.resource.pk)


def _distance(demand_code: str, resource_code: str) -> int:
    for length, rank, _reason in DISTANCES:
        if len(resource_code) >= length and demand_code[:length] == resource_code[:length]:
            return rank
    return 0


def _distance_reason(rank: int) -> str:
    return {3: _("in the same community"), 2: _("in the same street or town"),
            1: _("in the same district")}.get(rank, _("outside the district"))


def get_suggestions(demand: Demand, *, limit: int = 10) -> list[Suggestion]:
    """The resources that could meet `demand`, best first, with why."""
    candidates = (Resource.objects.filter(active=True, organisation__active=True,
                                          available_from__lte=demand.needed_until,
                                          available_until__gte=demand.needed_from)
                  .select_related("organisation", "area"))
    suggestions = []
    for resource in candidates:
        if demand.category not in resource.categories:
            continue  # JSON containment is not portable between SQLite and PostgreSQL: filtered here
        rank = _distance(demand.area_id, resource.area_id)
        covers = resource.capacity >= demand.size
        start = max(demand.needed_from, resource.available_from)
        end = min(demand.needed_until, resource.available_until)
        overlap = (end - start).days + 1
        window = (demand.needed_until - demand.needed_from).days + 1
        reasons = [
            _("meets “%(category)s”") % {"category": demand.get_category_display()},
            _distance_reason(rank),
            _("capacity %(capacity)s covers the need of %(size)s") % {"capacity": resource.capacity, "size": demand.size}
            if covers else
            _("capacity %(capacity)s covers part of the need of %(size)s") % {"capacity": resource.capacity,
                                                                              "size": demand.size},
            _("available for the whole window") if overlap >= window else
            _("available %(days)s of %(window)s days") % {"days": overlap, "window": window},
        ]
        suggestions.append(Suggestion(resource, rank, covers, overlap, reasons))
    suggestions.sort(key=lambda s: s.key)
    return suggestions[:limit]
