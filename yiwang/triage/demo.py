"""Demo master data for triage: the declared profiles of the demo's two mediators (deterministic)."""

from yiwang.accounts.models import User
from yiwang.areas.models import Area, DisputeType
from yiwang.triage.models import MediatorProfile

PROFILES = [
    # username, home area, declared types, dialects
    ("mediator_wang", "330903100", ["neighbourhood", "marriage_family", "land_and_housing"], "舟山话, 普通话"),
    ("maritime_mediator", "330903001", ["maritime", "labour"], "舟山话, 宁波话, 普通话"),
]


def load(out) -> None:
    for username, area_code, types, dialects in PROFILES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile, _ = MediatorProfile.objects.update_or_create(
            mediator=user, defaults={"home_area": Area.objects.get(code=area_code), "dialects": dialects})
        profile.dispute_types.set(DisputeType.objects.filter(code__in=types))
    out(f"mediator profiles: {MediatorProfile.objects.count()}")
