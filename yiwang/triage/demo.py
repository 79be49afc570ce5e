"""Demo master data for triage: the default languages and the profiles of the demo's two mediators
(deterministic): what they know, where they live, what they speak, and one conflict of interest."""

from django.utils import timezone

from yiwang.accounts.models import User
from yiwang.areas.models import Area, DisputeType
from yiwang.triage import defaults
from yiwang.triage.models import Conflict, ConflictKind, Language, MediatorProfile, Relation

PROFILES = [
    # username, home area, declared types, languages, capacity
    ("mediator_wang", "330903100", ["neighbourhood", "marriage_family", "land_and_housing"], ["putuo", "putonghua"], None),
    ("maritime_mediator", "330903001", ["maritime", "labour"], ["putuo", "ningbo", "putonghua"], 15),
]


def load(out) -> None:
    defaults.load(out)
    for username, area_code, types, languages, capacity in PROFILES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        profile, _ = MediatorProfile.objects.update_or_create(
            mediator=user, defaults={"home_area": Area.objects.get(code=area_code), "capacity": capacity})
        profile.dispute_types.set(DisputeType.objects.filter(code__in=types))
        profile.languages.set(Language.objects.filter(code__in=languages))
    wang = User.objects.filter(username="mediator_wang").first()
    village = Area.objects.filter(code__startswith="330903100", level="village").order_by("-code").first()
    if wang is not None and village is not None:
        Conflict.objects.get_or_create(mediator=wang, kind=ConflictKind.VILLAGE, area=village, defaults={
            "relation": Relation.OFFICE, "note": "村调委会委员（示例）", "recorded_at": timezone.now()})
    out(f"mediator profiles: {MediatorProfile.objects.count()}")
