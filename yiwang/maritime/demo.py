"""The maritime demo. `load` is master data (deterministic, no clock): the sea areas of data/sea_areas.csv,
the maritime codes on the standard roles (accounts' demo resets roles to its defaults), the five agencies
with an officer each, and an illustrative registry of 普陀 fishing vessels. `load_activity` (random, dated
from now) registers maritime cases in every stage across the agencies, and the seed's story of the 傅
sisters (a seaman's accident settled online with his sisters in 绍兴)."""

from __future__ import annotations

from django.conf import settings

from yiwang.accounts.models import Grant, Role, User
from yiwang.areas.models import Area, Organisation, OrganisationKind
from yiwang.cases.validators import credit_code_check_character, id_check_character
from yiwang.maritime import sea
from yiwang.maritime.models import (
    AgencyKind,
    CrewMember,
    HolderKind,
    LengthClass,
    Vessel,
    VesselKind,
)
from yiwang.maritime.permissions import AGENCY_ROLE, AGENCY_ROLE_CODES, AGENCY_ROLE_NAME, ROLE_CODES

# name, organisation kind, agency kind, officer's username, display name. areas.OrganisationKind has no
# maritime kinds: the agency's own kind says what it is. The tribunal is not a COURT organisation here,
# because the cases app (and its tests) take the district's one court as the court of confirmation.
AGENCIES = [
    ("舟山海警局普陀工作站", OrganisationKind.POLICE, AgencyKind.COAST_GUARD, "coastguard_officer", "海警工作站联络员"),
    ("普陀海事处", OrganisationKind.ADMINISTRATIVE, AgencyKind.MSA, "msa_officer", "海事处联络员"),
    ("普陀区海洋与渔业局", OrganisationKind.ADMINISTRATIVE, AgencyKind.FISHERIES, "fisheries_officer", "渔业局联络员"),
    ("宁波海事法院舟山法庭", OrganisationKind.ADMINISTRATIVE, AgencyKind.MARITIME_COURT, "tribunal_officer", "海事法庭联络员"),
    ("普陀渔业互保代办处", OrganisationKind.SOCIAL, AgencyKind.INSURER, "insurer_officer", "互保代办员"),
]
VESSELS = 300
SURNAMES = "王李张陈刘杨林周吴徐孙胡朱高郭何罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟"
GIVEN = "海波阿国明建华伟军平东辉祥富根福荣兴龙信德春达忠永宝"
HOME_PORTS = ["沈家门", "沈家门", "沈家门", "六横", "虾峙", "桃花", "东极", "登步"]
KINDS = [VesselKind.TRAWLER, VesselKind.TRAWLER, VesselKind.GILLNET, VesselKind.STOW_NET, VesselKind.PURSE_SEINE,
         VesselKind.LINE, VesselKind.FISH_CARRIER, VesselKind.FISHING_AUXILIARY]
PREFIX = {VesselKind.FISH_CARRIER: "浙普渔运", VesselKind.FISHING_AUXILIARY: "浙普渔辅"}


def _id_number(i: int) -> str:
    first17 = f"330903{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return first17 + id_check_character(first17)


def _credit_code(i: int) -> str:
    first17 = f"9133090{i:010d}"
    return first17 + credit_code_check_character(first17)


def _person(i: int) -> str:
    return SURNAMES[i * 7 % len(SURNAMES)] + GIVEN[i * 3 % len(GIVEN)] + GIVEN[(i * 5 + 1) % len(GIVEN)]


def vessel_rows() -> list[dict]:
    """The illustrative registry: deterministic names (浙普渔 and a serial), MMSIs, owners and sizes."""
    rows = []
    for i in range(VESSELS):
        kind = KINDS[i % len(KINDS)]
        tonnage = 40 + (i * 53) % 560
        company = i % 9 == 0
        rows.append({
            "name": f"{PREFIX.get(kind, '浙普渔')}{60001 + i * 13}", "registration_number": f"(浙普)船登(权)(2019){i + 101:04d}号",
            "home_port": "舟山", "mmsi": f"4127{i + 10000:05d}", "kind": kind, "gross_tonnage": tonnage,
            "length_class": LengthClass.LARGE if tonnage >= 200 else LengthClass.MEDIUM if tonnage >= 60 else LengthClass.SMALL,
            "owner_kind": HolderKind.ORGANISATION if company else HolderKind.PERSON,
            "owner_name": f"舟山市普陀{HOME_PORTS[i % len(HOME_PORTS)]}海洋渔业有限公司" if company else _person(i),
            "owner_id_number": "" if company else _id_number(i),
            "owner_credit_code": _credit_code(i) if company else "",
            "owner_phone": f"139{(i * 7919) % 100000000:08d}",
            "operator_kind": HolderKind.PERSON if company else "", "operator_name": _person(i + 1000) if company else "",
        })
    return rows


def sync_roles() -> None:
    """The maritime codes on the standard roles and the agency role (as migration 0002 writes them)."""
    for code, extra in ROLE_CODES.items():
        role = Role.objects.filter(code=code).first()
        if role is not None and not set(extra) <= set(role.actions):
            role.actions = list(dict.fromkeys([*role.actions, *extra]))
            role.save(update_fields=["actions"])
    Role.objects.update_or_create(code=AGENCY_ROLE, defaults={"name": AGENCY_ROLE_NAME, "actions": AGENCY_ROLE_CODES})


def load_agencies() -> None:
    from yiwang.maritime.models import Agency

    putuo = Area.objects.get(code=settings.YIWANG_DISTRICT)
    for name, org_kind, kind, username, display in AGENCIES:
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": org_kind, "area": putuo, "illustrative": True})
        Agency.objects.update_or_create(organisation=organisation, defaults={"kind": kind})
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Grant.objects.update_or_create(user=user, role_id=AGENCY_ROLE, area=putuo,
                                       defaults={"organisation": organisation})


def load_vessels() -> None:
    putuo = Area.objects.get(code=settings.YIWANG_DISTRICT)
    known = set(Vessel.objects.values_list("name", flat=True))
    new = [Vessel(area=putuo, illustrative=True, **row) for row in vessel_rows() if row["name"] not in known]
    Vessel.objects.bulk_create(new)
    crew = []
    for index, vessel in enumerate(new):
        for n in range(index % 4):
            crew.append(CrewMember(vessel=vessel, name=_person(index * 4 + n + 3000), position="船员",
                                   written_contract=(index + n) % 5 == 0))
    CrewMember.objects.bulk_create(crew)


def load(out) -> None:
    sync_roles()
    count = sea.load_sea_areas(sea.DATA_FILE.read_text(encoding="utf-8"))
    load_agencies()
    load_vessels()
    out(f"maritime: {count} sea areas, {len(AGENCIES)} agencies ({', '.join(a[3] for a in AGENCIES)}), "
        f"{Vessel.objects.count()} vessels")
