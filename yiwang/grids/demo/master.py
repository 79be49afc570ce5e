"""普陀区 demo grids: one to four grids in every village, the seed's 163 village teams (联村驻社团队)
with members from district units, the police, the judicial office and Party members, a town staff
member for 六横镇, the district units grid problems are dispatched to with an account for two of them, and
the Open311 key `yiwang-demo-open311`. Deterministic and idempotent."""

import hashlib

from django.conf import settings

from yiwang.accounts.demo import grid_worker_area
from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Area, Centre, Organisation, OrganisationKind, Team, TeamKind
from yiwang.core.codes import Level
from yiwang.grids.models import (
    Grid,
    MemberAffiliation,
    Open311Key,
    TeamMember,
)

PUTUO = "330903"
TEAMS = 163  # the seed's count of village teams
OPEN311_KEY = "yiwang-demo-open311"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "海军明华建国丽萍伟强芳敏静洋波涛勇杰娟斌超磊霞红军平辉"
# (affiliation, unit name or None) for the members of each team, in order
MEMBER_PLAN = [
    (MemberAffiliation.DISTRICT_UNIT, "舟山市普陀区司法局"),
    (MemberAffiliation.POLICE, "舟山市公安局普陀区分局"),
    (MemberAffiliation.JUDICIAL, None),
    (MemberAffiliation.PARTY_MEMBER, None),
    (MemberAffiliation.PARTY_MEMBER, None),
]
# Units problems are dispatched to beyond the grid's own team; illustrative like the areas demo's.
UNITS = {
    "enforcement": "舟山市普陀区综合行政执法局",
    "housing": "舟山市普陀区住房和城乡建设局",
    "agriculture": "舟山市普陀区农业农村局",
    "emergency": "舟山市普陀区应急管理局",
    "civil": "舟山市普陀区民政局",
    "ecology": "舟山市生态环境局普陀分局",
}
# The units' own accounts (the partner_unit role, a grant limited to the unit): they sign for and handle
# what is dispatched to their unit, and see nothing else of the grids.
# username, display name, unit
UNIT_ACCOUNTS = [
    ("agriculture_unit", "区农业农村局经办员", "舟山市普陀区农业农村局"),
    ("justice_unit", "区司法局经办员", "舟山市普陀区司法局"),
]


def _number(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def grid_count(village_code: str) -> int:
    """One to four grids, from the village code: the same on every machine."""
    return 1 + _number(village_code) % 4


def _name(seed: str) -> str:
    n = _number(seed)
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 31) % len(GIVEN)] + GIVEN[(n // 997) % len(GIVEN)]


def load(out) -> None:
    villages = list(Area.objects.filter(level=Level.VILLAGE, code__startswith=PUTUO).order_by("code"))
    grids_by_village = {}
    for village in villages:
        grids = []
        for number in range(1, grid_count(village.code) + 1):
            grid, _ = Grid.objects.update_or_create(
                code=f"{village.code}G{number:02d}",
                defaults={"name": f"第{number}网格", "area": village,
                          "households": 80 + _number(f"{village.code}{number}") % 220},
            )
            grids.append(grid)
        grids_by_village[village.code] = grids

    # One team per village; the villages with most grids (then by code) get a second team sharing
    # them, until the seed's 163 are reached.
    extra = max(0, TEAMS - len(villages))
    second = {v.code for v in sorted(
        (v for v in villages if len(grids_by_village[v.code]) > 1),
        key=lambda v: (-len(grids_by_village[v.code]), v.code),
    )[:extra]}
    units = {o.name: o for o in Organisation.objects.filter(area_id=PUTUO)}
    for village in villages:
        centre = (Centre.objects.filter(area=village).first()
                  or Centre.objects.filter(area_id=village.code[:9]).first())
        grids = grids_by_village[village.code]
        count = 2 if village.code in second else 1
        for index in range(count):
            suffix = "" if count == 1 else f"第{index + 1}"
            team, _ = Team.objects.update_or_create(
                name=f"{village.name}联村驻社{suffix}团队", area=village,
                defaults={"kind": TeamKind.GRID, "centre": centre},
            )
            team.grids.set(grids[index::count])
            for position, (affiliation, unit) in enumerate(MEMBER_PLAN):
                TeamMember.objects.update_or_create(
                    team=team, name=_name(f"{team.name}{position}"),
                    defaults={"affiliation": affiliation, "organisation": units.get(unit) if unit else None},
                )

    worker_village = grid_worker_area()
    worker = User.objects.filter(username="grid_worker").first()
    if worker and worker_village:
        team = Team.objects.filter(kind=TeamKind.GRID, area=worker_village).order_by("id").first()
        team.members.add(worker)
        TeamMember.objects.update_or_create(
            team=team, name=worker.display_name or worker.username,
            defaults={"affiliation": MemberAffiliation.VILLAGE, "user": worker},
        )

    # Town staff for 六横镇: sees the town's board and dispatches its problems.
    staff, created = User.objects.get_or_create(
        username="liuheng_staff", defaults={"display_name": "六横镇中心工作人员", "is_staff": True}
    )
    if created:
        staff.set_password(settings.DEMO_PASSWORD)
        staff.save(update_fields=["password"])
    liuheng = Area.objects.get(code="330903100")
    Grant.objects.update_or_create(
        user=staff, role_id="centre_staff", area=liuheng,
        defaults={"centre": Centre.objects.filter(area=liuheng).first()},
    )
    for name in UNITS.values():
        Organisation.objects.update_or_create(
            name=name, defaults={"kind": OrganisationKind.DISTRICT_UNIT, "area_id": PUTUO, "illustrative": True})
    district = Area.objects.get(code=PUTUO)
    for username, display, unit in UNIT_ACCOUNTS:
        account, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            account.set_password(settings.DEMO_PASSWORD)
            account.save(update_fields=["password"])
        Grant.objects.update_or_create(user=account, role_id="partner_unit", area=district,
                                       defaults={"organisation": Organisation.objects.get(name=unit)})
    Open311Key.objects.update_or_create(key=OPEN311_KEY, defaults={"name": "演示客户端", "active": True})
    out(
        f"grids: {Grid.objects.in_area(PUTUO).count()} grids, "
        f"{Team.objects.filter(kind=TeamKind.GRID, area__code__startswith=PUTUO).count()} grid teams, "
        f"users liuheng_staff, {', '.join(a[0] for a in UNIT_ACCOUNTS)}, Open311 key {OPEN311_KEY}"
    )
