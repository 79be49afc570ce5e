"""Who must act on a warning: the tier (village for yellow, town for orange, district for red — or the town
first where the district set YIWANG_WARNING_RED_TIER=town —, one tier up when an unacknowledged red warning
escalates), the people holding warning.handle at that tier's division,
and the leaders in charge (包案) of the cases behind it. Telling them is a core notice; the
notifications app chooses inbox, SMS (urgent: red) or 浙政钉.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from yiwang.core.notices import Notice, announce
from yiwang.core.scope import get_users_who_can
from yiwang.warnings.models import TIER_CODE_LENGTH, TIER_ORDER, Level, Tier

HANDLE = "warning.handle"
LEVEL_TIER = {Level.YELLOW: Tier.VILLAGE, Level.ORANGE: Tier.TOWN, Level.RED: Tier.DISTRICT}
TIER_RANK = {tier: rank for rank, tier in enumerate(TIER_ORDER)}


def _tier_of_code(code: str) -> str:
    for tier in TIER_ORDER:
        if len(code) >= TIER_CODE_LENGTH[tier]:
            return tier
    return Tier.DISTRICT


def get_tier(area_code: str, level: str) -> tuple[str, str]:
    """(tier, division code) that must act on a warning of `level` about `area_code`. A situation of a
    whole town warned yellow is the town's: nobody below the area itself can act on it."""
    tier = Tier(settings.YIWANG_WARNING_RED_TIER) if level == Level.RED else LEVEL_TIER[level]
    if TIER_RANK[_tier_of_code(area_code)] > TIER_RANK[tier]:
        tier = _tier_of_code(area_code)
    code = area_code[:TIER_CODE_LENGTH[tier]] if tier != Tier.DISTRICT else settings.YIWANG_DISTRICT
    return tier, code


def tier_above(tier: str, area_code: str) -> tuple[str, str] | None:
    """The next tier up and its division, or None at the district."""
    rank = TIER_RANK[tier]
    if rank + 1 >= len(TIER_ORDER):
        return None
    up = TIER_ORDER[rank + 1]
    return up, area_code[:TIER_CODE_LENGTH[up]] if up != Tier.DISTRICT else settings.YIWANG_DISTRICT


def get_responders(tier: str, code: str) -> list:
    """Active users holding warning.handle on a grant at exactly `code`; when nobody at that tier does,
    the tier above (a village without a warning leader is the town's to act on)."""
    Grant = get_user_model()._meta.apps.get_model("accounts", "Grant")
    while True:
        grants = Grant.objects.filter(area_id=code, user__is_active=True).select_related("role", "user")
        users = sorted({g.user for g in grants if HANDLE in g.role.actions}, key=lambda u: u.pk)
        if users:
            return users
        above = tier_above(tier, code)
        if above is None:
            return list(get_users_who_can(HANDLE, code))
        tier, code = above


def get_leaders_in_charge(warning) -> list:
    """The 包案 leaders of the warning's cases."""
    User = get_user_model()
    return list(User.objects.filter(led_cases__in=warning.cases.all(), is_active=True).distinct())


def announce_warning(warning, *, kind: str) -> None:
    """Tell the tier that must act and the leaders in charge (inside the caller's transaction)."""
    recipients = {u.pk: u for u in get_responders(warning.tier, warning.routed_area)}
    recipients.update({u.pk: u for u in warning.leaders.all()})
    text = _("%(level)s warning: %(explanation)s") % {"level": warning.get_level_display(),
                                                       "explanation": warning.explanation}
    announce(Notice(
        kind=kind, text=text, key=f"{kind}:{warning.pk}:{warning.level}:{warning.tier}",
        recipients=tuple(recipients.values()),
        # Nobody named (no one holds warning.handle up to the district): everyone concerned in the area.
        area_code="" if recipients else warning.routed_area, permission="" if recipients else HANDLE,
        url=reverse("warnings:detail", args=[warning.pk]), about=warning, urgent=warning.level == Level.RED,
        detail={"level": warning.level, "tier": warning.tier, "routed_area": warning.routed_area,
                "rule": warning.rule_id},
    ))
