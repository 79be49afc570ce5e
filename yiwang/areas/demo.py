"""普陀区 demo master data: centres on three tiers, windows, teams and partner organisations.

The seed article counts 1 district centre, 10 town centres and 85 village centres. The division file has
9 township-level units, so a management-area centre makes the tenth; the 85 village centres are chosen
deterministically (spread evenly over the 133 villages in code order) and marked illustrative.
"""

from yiwang.areas.actions import PUTUO_FILE, do_load_divisions
from yiwang.areas.models import (
    Area,
    Centre,
    CentreLevel,
    DisputeType,
    Organisation,
    OrganisationKind,
    Team,
    TeamKind,
    Window,
    WindowKind,
)
from yiwang.core.codes import Level

PUTUO = "330903"
MANAGEMENT_AREA = ("330903400", "普陀经济开发区")
VILLAGE_CENTRES = 85

# code, name, maritime, headed for court. The first thirteen have their own window at the district centre.
DISPUTE_TYPES = [
    ("litigation_service", "诉讼服务", False, True),
    ("personal_injury", "人身损害赔偿纠纷", False, True),
    ("medical", "医患纠纷", False, True),
    ("labour", "劳动纠纷", False, True),
    ("maritime", "海事渔事纠纷", True, True),
    ("financial", "金融纠纷", False, True),
    ("traffic", "交通事故纠纷", False, True),
    ("marriage_family", "婚姻家庭纠纷", False, False),
    ("property_management", "物业纠纷", False, False),
    ("petition", "信访事项", False, False),
    ("legal_aid", "法律援助", False, False),
    ("administrative_review", "行政复议", False, False),
    ("labour_arbitration", "劳动仲裁", False, True),
    ("neighbourhood", "邻里纠纷", False, False),
    ("land_and_housing", "山林土地与房屋纠纷", False, False),
    ("contract", "合同纠纷", False, True),
    ("other", "其他纠纷", False, False),
]
SPECIALISED_WINDOWS = 13
# Services of the centre, each at its own window: not disputes a citizen files online.
SERVICES = {"litigation_service", "petition", "legal_aid", "administrative_review", "labour_arbitration"}
# The words citizens use for each type, for the filing page's search.
SYNONYMS = {
    "marriage_family": "赡养 抚养 抚养费 离婚 继承 遗产 彩礼 婚姻 家庭 老人 子女",
    "neighbourhood": "邻居 相邻 通行 漏水 噪音 围墙 排水",
    "labour": "工资 欠薪 讨薪 工伤 劳务 辞退 加班 社保",
    "personal_injury": "受伤 伤害 赔偿 摔倒 打架",
    "medical": "医院 医疗 手术 医疗事故",
    "maritime": "渔船 船舶 船员 海上 碰撞 渔事 网具",
    "financial": "贷款 借款 信用卡 银行 欠款 还款",
    "traffic": "车祸 交通事故 撞车 电动车",
    "property_management": "物业 物业费 电梯 小区",
    "land_and_housing": "宅基地 土地 山林 房屋 租房 拆迁 征收",
    "contract": "合同 买卖 货款 装修 工程款 违约",
    "other": "其他",
}


def _town_centre_name(name: str) -> str:
    return f"{name}社会治理中心"


def load(out) -> None:
    result = do_load_divisions(PUTUO_FILE)
    out(f"divisions: {result.created} created, {result.updated} updated, {result.unchanged} unchanged")
    putuo = Area.objects.get(code=PUTUO)
    zone, _ = Area.objects.update_or_create(
        code=MANAGEMENT_AREA[0],
        defaults={"name": MANAGEMENT_AREA[1], "level": Level.TOWNSHIP, "parent": putuo, "official": False},
    )

    types = {}
    for order, (code, name, maritime, court) in enumerate(DISPUTE_TYPES):
        types[code], _ = DisputeType.objects.update_or_create(
            code=code,
            defaults={"name": name, "maritime": maritime, "litigation_bound": court, "sort_order": order * 10,
                      "service": code in SERVICES, "synonyms": SYNONYMS.get(code, "")},
        )

    district, _ = Centre.objects.update_or_create(
        code="PT",
        defaults={
            "name": "普陀区社会治理中心", "level": CentreLevel.DISTRICT, "area": putuo,
            "address": "舟山市普陀区东港街道", "phone": "0580-12345",
        },
    )
    for number in (1, 2):
        window, _ = Window.objects.update_or_create(
            centre=district, number=number,
            defaults={"name": f"综合受理窗口{number}", "kind": WindowKind.COMPREHENSIVE},
        )
    for number, (code, name, *_rest) in enumerate(DISPUTE_TYPES[:SPECIALISED_WINDOWS], start=3):
        window, _ = Window.objects.update_or_create(
            centre=district, number=number, defaults={"name": f"{name}窗口", "kind": WindowKind.SPECIALISED}
        )
        window.dispute_types.set([types[code]])

    towns = list(Area.objects.filter(level=Level.TOWNSHIP, code__startswith=PUTUO).order_by("code"))
    for index, town in enumerate(towns, start=1):
        Centre.objects.update_or_create(
            code=f"PT{index:02d}",
            defaults={
                "name": _town_centre_name(town.name), "level": CentreLevel.TOWN, "area": town,
                "illustrative": not town.official,
            },
        )
    villages = list(Area.objects.filter(level=Level.VILLAGE, code__startswith=PUTUO).order_by("code"))
    chosen = [villages[i * len(villages) // VILLAGE_CENTRES] for i in range(min(VILLAGE_CENTRES, len(villages)))]
    for index, village in enumerate(chosen, start=1):
        Centre.objects.update_or_create(
            code=f"PTV{index:03d}",
            defaults={
                "name": f"{village.name}矛调中心", "level": CentreLevel.VILLAGE, "area": village,
                "illustrative": True,
            },
        )

    maritime, _ = Team.objects.update_or_create(
        name="海事渔事纠纷调解团队",
        defaults={"kind": TeamKind.MARITIME, "area": putuo, "centre": district},
    )
    maritime.dispute_types.set([types["maritime"]])
    Team.objects.update_or_create(
        name="区人民调解团队", defaults={"kind": TeamKind.MEDIATION, "area": putuo, "centre": district}
    )
    liuheng = Area.objects.get(code="330903100")
    Team.objects.update_or_create(
        name="六横镇乡贤理事会", defaults={"kind": TeamKind.ELDERS, "area": liuheng,
                                          "centre": Centre.objects.get(area=liuheng)},
    )
    shenjiamen = Area.objects.get(code="330903001")
    Team.objects.update_or_create(
        name="沈家门街道人民调解委员会", defaults={"kind": TeamKind.MEDIATION, "area": shenjiamen,
                                               "centre": Centre.objects.get(area=shenjiamen)},
    )

    for name, kind, area in [
        ("舟山市普陀区人民法院", OrganisationKind.COURT, putuo),
        ("舟山市普陀区劳动人事争议仲裁委员会", OrganisationKind.ARBITRATION, putuo),
        ("舟山市普陀区司法局", OrganisationKind.DISTRICT_UNIT, putuo),
        ("舟山市公安局普陀区分局", OrganisationKind.POLICE, putuo),
        ("浙江普陀农村商业银行", OrganisationKind.BANK, putuo),
        ("普陀区社会组织服务中心", OrganisationKind.SOCIAL, putuo),
    ]:
        Organisation.objects.update_or_create(name=name, defaults={"kind": kind, "area": area, "illustrative": True})
    out(
        f"centres: {Centre.objects.in_area(PUTUO).count()} "
        f"(windows at the district centre: {district.windows.count()})"
    )
