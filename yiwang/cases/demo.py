"""Demo disputes: a few hundred cases over 普陀区's towns and villages, last year and this, in every state.

Deterministic (a seeded random generator), idempotent (skipped when the demo cases exist) and fast:
rows are written in bulk, each consistent with what the actions would have produced — a timeline from
registration to the current state, an owner and a deadline on every open case, an outcome on every
closed one, gap-free numbers per centre and year.
"""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Area, Centre, DisputeType, Organisation, OrganisationKind, Team, TeamKind
from yiwang.cases import actions as a
from yiwang.cases.actions import get_centre_for, get_tier_for, get_window_for
from yiwang.cases.lifecycle import get_step_into
from yiwang.cases.models import (
    Agreement,
    Assignment,
    Case,
    CaseCounter,
    CaseEvent,
    Channel,
    Delegation,
    EventKind,
    FollowUp,
    MediationSession,
    Outcome,
    Party,
    PartyKind,
    PartyRole,
    Referral,
    ReferralKind,
    Status,
)
from yiwang.cases.validators import credit_code_check_character, id_check_character
from yiwang.core.calendar import add_days_rolled, add_working_days

PUTUO = "330903"
CASES = 400
SEED = 20260101
# 普陀's seed: 3,377 cases a year, 7.83% fewer than the year before. The demo keeps the trend at a tenth of
# the scale or so: this year's cases, counted to today, are YEAR_ON_YEAR fewer than last year's in the same
# window, the later demos' cases included (LATER_THIS_YEAR: the maritime cases and the banks' batches,
# all from the last months; RECENT_DAYS is the span they fall in, where this demo draws fewer of its own).
YEAR_ON_YEAR = -0.0783
LATER_THIS_YEAR = 72
RECENT_DAYS = 150
# Month by month, as a district's intake goes: wage disputes before the Spring Festival, fewer during it,
# more in summer and when the fishing moratorium ends (September).
MONTH_WEIGHTS = [1.15, 0.75, 1.0, 1.0, 1.05, 1.0, 1.1, 1.1, 1.1, 0.95, 0.95, 1.1]
KEY_PREFIX = "demo-"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["海明", "国强", "小红", "建华", "秀英", "志强", "丽娟", "伟", "芳", "军", "静", "海波", "立新", "春燕",
         "晓东", "玉兰", "德福", "桂英", "建国", "爱华", "永康", "雪梅", "宏伟", "美玲", "兴旺", "金凤", "文斌",
         "海燕", "成龙", "佳怡", "浩然", "子涵", "一鸣", "欣怡", "鹏飞", "亚琴", "阿根", "阿娣", "荣根", "菊芬"]
COMPANIES = ["舟山市普陀海鲜加工有限公司", "普陀区沈家门渔业合作社", "舟山六横船舶修造有限公司", "普陀区朱家尖旅游开发有限公司",
             "舟山市普陀物业服务有限公司", "浙江东港建设工程有限公司", "普陀区桃花岛水产养殖场", "舟山海通物流有限公司"]
SEA_AREAS = ["东极海域", "六横岛以东海域", "嵊山渔场", "桃花岛附近海域", "舟山渔场", "虾峙门航道", "朱家尖东侧海域"]

# type code → (facts, claims, typical amount in yuan or None)
STORIES = {
    "neighbourhood": [
        ("邻居在公共通道堆放杂物并加建围墙，影响申请人家通行。", "拆除围墙，清理通道，恢复通行。", None),
        ("楼上住户卫生间漏水，导致申请人家天花板和墙面受损。", "赔偿维修费用并修复防水层。", 3000),
        ("相邻两户因排水沟改道发生争执，雨天积水倒灌。", "恢复原排水走向，赔偿损失。", 1500),
    ],
    "marriage_family": [
        ("兄弟姐妹就父母赡养费用分担及老宅使用发生矛盾。", "按月分担赡养费，明确老宅使用。", 12000),
        ("夫妻感情不和分居两年，就子女抚养及共同财产分割协商未果。", "协商离婚，明确抚养权及财产分割。", 200000),
    ],
    "labour": [
        ("申请人在被申请人处从事水产加工，被拖欠三个月工资。", "支付拖欠工资及经济补偿。", 18600),
        ("工人在船厂作业时受伤，双方就工伤待遇协商不成。", "支付工伤医疗费、停工留薪期工资。", 86000),
    ],
    "maritime": [
        ("两艘渔船在作业时发生碰撞，申请人渔船船舷受损、网具灭失。", "赔偿船舶修理费及网具损失。", 320000),
        ("船员在出海作业期间落水身亡，家属与船东就赔偿协商未果。", "船东支付死亡赔偿金及丧葬费。", 1200000),
        ("渔船雇佣船员劳务报酬结算发生争议。", "结清船员劳务报酬。", 45000),
    ],
    "financial": [
        ("借款人逾期未归还经营贷款本息，经多次催收未果。", "归还贷款本金及利息。", 380000),
        ("信用卡透支逾期，持卡人因经营困难无力一次清偿。", "分期归还透支本息。", 56000),
    ],
    "traffic": [
        ("电动自行车与小型轿车在路口相撞，电动车驾驶人受伤住院。", "赔偿医疗费、误工费、护理费。", 48000),
    ],
    "property_management": [
        ("小区业主以电梯长期故障为由拒交物业费。", "物业公司维修电梯，业主补交物业费。", 4200),
    ],
    "land_and_housing": [
        ("村民之间就宅基地界址发生争议，一方翻建房屋越界。", "确认界址，拆除越界部分。", None),
        ("房屋租赁到期后承租人拒不搬离，拖欠租金。", "腾退房屋并支付拖欠租金。", 27000),
    ],
    "contract": [
        ("民宿装修工程完工后，双方就工程款结算和质量问题发生争议。", "支付剩余工程款。", 150000),
        ("水产品买卖合同履行中，买方以质量问题为由拒付货款。", "支付货款及违约金。", 96000),
    ],
    "personal_injury": [
        ("游客在景区台阶摔倒骨折，与经营方就赔偿发生争议。", "赔偿医疗费、误工费等损失。", 62000),
    ],
    "medical": [
        ("患者在卫生院手术后出现并发症，家属认为存在医疗过错。", "医院赔礼道歉并赔偿损失。", 150000),
    ],
    "other": [
        ("村民对村集体土地征收补偿款分配方案有异议。", "重新核算分配补偿款。", 30000),
    ],
}
TYPE_WEIGHTS = {"neighbourhood": 20, "marriage_family": 12, "labour": 10, "maritime": 10, "financial": 9,
                "traffic": 7, "property_management": 7, "land_and_housing": 9, "contract": 7, "personal_injury": 4,
                "medical": 2, "other": 3}
CHANNEL_WEIGHTS = {Channel.WINDOW: 35, Channel.PHONE: 15, Channel.ONLINE: 15, Channel.GRID: 15,
                   Channel.HOTLINE_12345: 8, Channel.COURT_DELEGATION: 6, Channel.BANK: 6}
TOWN_WEIGHTS = {"330903001": 30, "330903003": 15, "330903004": 10, "330903005": 8, "330903100": 25,
                "330903102": 5, "330903104": 5, "330903105": 2, "330903106": 3}

# Each state reached by the path the actions take, oldest first.
MAIN = [Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING, Status.AGREED]
PATHS = {
    Status.REGISTERED: MAIN[:1],
    Status.NOT_ACCEPTED: [Status.REGISTERED, Status.NOT_ACCEPTED],
    Status.ACCEPTED: MAIN[:2],
    Status.ASSIGNED: MAIN[:3],
    Status.MEDIATING: MAIN[:4],
    Status.AGREED: MAIN,
    Status.CONFIRMATION_PENDING: MAIN + [Status.CONFIRMATION_PENDING],
    Status.CONFIRMED: MAIN + [Status.CONFIRMATION_PENDING, Status.CONFIRMED],
    Status.CONFIRMATION_REJECTED: MAIN + [Status.CONFIRMATION_PENDING, Status.CONFIRMATION_REJECTED],
    Status.PERFORMING: MAIN + [Status.PERFORMING],
    Status.TERMINATED: MAIN[:4] + [Status.TERMINATED],
    Status.REFERRED: MAIN[:4] + [Status.TERMINATED, Status.REFERRED],
    Status.WITHDRAWN: MAIN[:4] + [Status.WITHDRAWN],
    Status.FOLLOWED_UP: MAIN + [Status.PERFORMING, Status.FOLLOWED_UP],
    Status.ARCHIVED: MAIN + [Status.PERFORMING, Status.FOLLOWED_UP, Status.ARCHIVED],
}
ALTERNATIVE_ENDINGS = {  # a share of old cases ends another way
    "archived_referred": MAIN[:4] + [Status.TERMINATED, Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED],
    "archived_confirmed": MAIN + [Status.CONFIRMATION_PENDING, Status.CONFIRMED, Status.PERFORMING,
                                  Status.FOLLOWED_UP, Status.ARCHIVED],
}
# How long each open state may last, as the actions count it: (function, days).
# The deadline each state leaves, as the actions set it (the demo builds rows, not calls, so it borrows
# their rules); performing waits for the agreement's own performance deadline, 20 days in the demo.
DEADLINES = {
    Status.REGISTERED: (add_working_days, a.ACCEPT_WORKDAYS), Status.ACCEPTED: (add_working_days, a.ASSIGN_WORKDAYS),
    Status.ASSIGNED: (add_working_days, a.START_WORKDAYS), Status.MEDIATING: (add_days_rolled, a.MEDIATION_DAYS),
    Status.AGREED: (add_days_rolled, a.CONFIRMATION_WINDOW_DAYS),
    Status.CONFIRMATION_PENDING: (add_days_rolled, a.COURT_ACCEPT_DAYS),  # the court has not accepted yet
    Status.CONFIRMED: (add_working_days, a.NEXT_STEP_WORKDAYS),
    Status.CONFIRMATION_REJECTED: (add_working_days, a.NEXT_STEP_WORKDAYS),
    Status.PERFORMING: (add_days_rolled, 20), Status.TERMINATED: (add_working_days, a.NEXT_STEP_WORKDAYS),
    Status.REFERRED: (add_days_rolled, a.REFERRAL_FOLLOW_UP_DAYS),
    Status.FOLLOWED_UP: (add_working_days, a.ARCHIVE_WORKDAYS),
}
# The timeline line of the step that leads to each state (lifecycle.STEPS).
EVENT_KIND = {status: get_step_into(status).event for status in Status.values}


def _permission(status: str, *, by_mediator: bool) -> str:
    """The code the demo's actor took the step into `status` under (lifecycle.STEPS): a mediator acts as
    the case's mediator, anyone else under the step's first code."""
    permissions = get_step_into(status).permissions
    return "case.mediate" if by_mediator and "case.mediate" in permissions else permissions[0]


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random, used_ids: set) -> dict:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    while True:
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 52))
        first17 = f"330903{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
        id_number = first17 + id_check_character(first17)
        if id_number not in used_ids:
            used_ids.add(id_number)
            break
    phone = f"1{rng.choice('3456789')}{rng.randrange(0, 10**9):09d}"
    return {"kind": PartyKind.PERSON, "name": name, "id_number": id_number, "phone": phone}


def _organisation(rng: random.Random) -> dict:
    first17 = f"913309{rng.randrange(0, 10**11):011d}"
    return {"kind": PartyKind.ORGANISATION, "name": rng.choice(COMPANIES),
            "credit_code": first17 + credit_code_check_character(first17), "representative": rng.choice(SURNAMES) + "总"}


def _target_status(rng: random.Random, age: int) -> str:
    if age < 4:
        return rng.choice([Status.REGISTERED, Status.REGISTERED, Status.ACCEPTED, Status.ASSIGNED])
    if age < 35:
        return _weighted(rng, {Status.MEDIATING: 6, Status.ASSIGNED: 2, Status.ACCEPTED: 1, Status.AGREED: 2,
                               Status.CONFIRMATION_PENDING: 1, Status.TERMINATED: 1, Status.WITHDRAWN: 1,
                               Status.NOT_ACCEPTED: 1, Status.REGISTERED: 1})
    if age < 110:
        return _weighted(rng, {Status.PERFORMING: 4, Status.FOLLOWED_UP: 3, Status.REFERRED: 2,
                               Status.CONFIRMED: 1, Status.CONFIRMATION_REJECTED: 1, Status.ARCHIVED: 4,
                               Status.MEDIATING: 1})
    return _weighted(rng, {Status.ARCHIVED: 20, "archived_referred": 3, "archived_confirmed": 3,
                           Status.NOT_ACCEPTED: 1, Status.WITHDRAWN: 1})


def _draw_ages(rng: random.Random, today: dt.date, count: int, *, forced: int) -> list[int]:
    """How many days ago each of `count` cases came in, since 2 January last year: last year's and this
    year's shares such that this year to date runs YEAR_ON_YEAR below last year's same window (the later
    demos' cases and the `forced` ones, nearly all this year, counted), each day weighted by its month, fewer of this demo's own in the RECENT_DAYS."""
    start, new_year = dt.date(today.year - 1, 1, 2), dt.date(today.year, 1, 1)
    elapsed = (today - new_year).days + 1
    # last + this = count; this + forced + LATER_THIS_YEAR = (1 + YEAR_ON_YEAR) * last * elapsed / 365
    last = round((count + forced + LATER_THIS_YEAR) / (1 + (1 + YEAR_ON_YEAR) * elapsed / 365))
    last = min(count, max(count // 2, last))
    days = [start + dt.timedelta(days=n) for n in range((today - start).days + 1)]
    weights = [MONTH_WEIGHTS[d.month - 1] * (0.4 if (today - d).days < RECENT_DAYS else 1) for d in days]
    previous = [(d, w) for d, w in zip(days, weights, strict=True) if d < new_year]
    current = [(d, w) for d, w in zip(days, weights, strict=True) if d >= new_year]
    drawn = rng.choices([d for d, _ in previous], weights=[w for _, w in previous], k=last)
    drawn += rng.choices([d for d, _ in current], weights=[w for _, w in current], k=count - last)
    return [(today - d).days for d in drawn]


def load(out) -> None:
    if Case.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        out(f"cases: demo cases present ({Case.objects.filter(idempotency_key__startswith=KEY_PREFIX).count()})")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    types = {t.code: t for t in DisputeType.objects.filter(code__in=list(TYPE_WEIGHTS))}
    villages_by_town = defaultdict(list)
    town_names = dict(Area.objects.filter(level="township", code__startswith=PUTUO).values_list("code", "name"))
    village_names = dict(Area.objects.filter(level="village", code__startswith=PUTUO).values_list("code", "name"))
    for code in Area.objects.filter(level="village", code__startswith=PUTUO).values_list("code", flat=True):
        villages_by_town[code[:9]].append(code)
    users = {u.username: u for u in User.objects.filter(username__in=[
        "liuheng_clerk", "shenjiamen_clerk", "putuo_staff", "mediator_wang", "maritime_mediator", "putuo_leader",
        "court_liaison", "bank_operator"])}
    if len(users) < 8:
        out("cases: demo accounts missing, no demo cases")
        return
    maritime_team = Team.objects.filter(kind=TeamKind.MARITIME, area_id=PUTUO).first()
    mediation_team = Team.objects.filter(kind=TeamKind.MEDIATION, area_id=PUTUO).first()
    court = Organisation.objects.filter(kind=OrganisationKind.COURT).first()
    arbitration = Organisation.objects.filter(kind=OrganisationKind.ARBITRATION).first()
    # Whose case a channel's case is: the demo bank's own submissions, the court's delegations (委派调解).
    submitters = {
        Channel.BANK: Grant.objects.filter(user=users["bank_operator"]).exclude(organisation=None)
        .values_list("organisation_id", flat=True).first(),
        Channel.COURT_DELEGATION: court.pk if court else None,
    }
    centre_cache: dict = {}
    window_cache: dict = {}
    intake_centres = {"330903100": Centre.objects.filter(area_id="330903100").first(),
                      "330903001": Centre.objects.filter(area_id="330903001").first()}

    def centre_for(area_code, tier):
        key = (area_code, tier)
        if key not in centre_cache:
            centre_cache[key] = get_centre_for(area_code, tier)
        return centre_cache[key]

    def window_for(centre, dispute_type):
        key = (centre.pk, dispute_type.pk)
        if key not in window_cache:
            window_cache[key] = get_window_for(centre, dispute_type)
        return window_cache[key]

    forced = [s for s in PATHS if s != Status.REGISTERED] * 2
    ages = _draw_ages(rng, today, CASES - len(forced), forced=len(forced))
    plans = []
    used_ids: set = set()
    for index in range(CASES):
        if index < len(forced):
            target = forced[index]
            early = target in (Status.ACCEPTED, Status.ASSIGNED, Status.MEDIATING, Status.NOT_ACCEPTED)
            age = rng.randrange(2, 25) if early else rng.randrange(40, 200)
        else:
            age = ages[index - len(forced)]
            target = _target_status(rng, age)
        path = ALTERNATIVE_ENDINGS.get(target) or PATHS[target]
        received = now - dt.timedelta(days=age, hours=rng.randrange(0, 9), minutes=rng.randrange(0, 60))
        received = received.astimezone(tz).replace(hour=rng.randrange(8, 17))
        if received > now:  # before today's office hours: the day before, at the same hour
            received -= dt.timedelta(days=1)
        code = _weighted(rng, TYPE_WEIGHTS)
        channel = Channel.BANK if code == "financial" and rng.random() < 0.7 else _weighted(rng, CHANNEL_WEIGHTS)
        if channel == Channel.BANK and code != "financial":
            channel = Channel.WINDOW
        if index < len(forced) and target in (Status.ACCEPTED, Status.MEDIATING) and index == forced.index(target):
            channel = Channel.COURT_DELEGATION  # the court's liaison has delegations running
        town = _weighted(rng, TOWN_WEIGHTS)
        area = rng.choice(villages_by_town[town]) if villages_by_town[town] else town
        plans.append((received, target, path, code, channel, area))
    plans.sort(key=lambda p: p[0])

    cases, parties_of, timelines = [], [], []
    for i, (received, _target, path, code, channel, area) in enumerate(plans):
        dispute_type = types[code]
        facts, claims, typical = rng.choice(STORIES[code])
        amount = Decimal(int(typical * rng.uniform(0.6, 1.6))) if typical else None
        people = rng.choice([1, 1, 1, 2, 2, 3, 5]) if rng.random() > 0.03 else rng.randrange(10, 40)
        tier = get_tier_for(dispute_type, amount=amount, people_involved=people, channel=channel)
        centre = centre_for(area, tier)
        clerk = users["liuheng_clerk"] if area.startswith("330903100") else (
            users["shenjiamen_clerk"] if area.startswith("330903001") else users["putuo_staff"])
        if channel == Channel.BANK:
            clerk = users["bank_operator"]
        registered_centre = intake_centres.get(area[:9]) if clerk.username.endswith("clerk") else None
        registered_centre = registered_centre or centre
        mediator = users["maritime_mediator"] if dispute_type.maritime else users["mediator_wang"]
        applicants = [_organisation(rng)] if channel == Channel.BANK else [_person(rng, used_ids)]
        applicants[0]["address"] = f"舟山市普陀区{town_names.get(area[:9], '')}{village_names.get(area, '')}"
        respondents = [_person(rng, used_ids) if rng.random() < 0.8 else _organisation(rng)]
        maritime = dispute_type.maritime
        case = Case(
            channel=channel, dispute_type=dispute_type, area_id=area, centre=centre,
            registered_centre=registered_centre, tier=centre.level, window=window_for(centre, dispute_type),
            team=maritime_team if maritime else (mediation_team if centre.level == "district" else None),
            facts=facts, claims=claims, amount=amount, people_involved=people, received_at=received,
            vessel_name=f"浙普渔{rng.randrange(60000, 69999)}" if maritime else "",
            vessel_number=f"330903{rng.randrange(10**8):08d}" if maritime else "",
            sea_area=rng.choice(SEA_AREAS) if maritime else "",
            lead_leader=users["putuo_leader"] if centre.level == "district" else None,
            visits=1 if channel == Channel.WINDOW else rng.choice([0, 0, 1]),
            created_by=clerk, idempotency_key=f"{KEY_PREFIX}{i:04d}", status=path[-1],
            submitted_by_organisation_id=submitters.get(channel),
        )
        # The timeline: each step one to six days after the one before, never in the future.
        moments, at = [], received
        for _ in path:
            moments.append(min(at, now))
            at = at + dt.timedelta(days=rng.randrange(1, 7), hours=rng.randrange(0, 6))
        last = timezone.localtime(moments[-1]).date()
        owner = clerk if Status.ASSIGNED not in path else mediator
        if case.status in (Status.REFERRED, Status.FOLLOWED_UP, Status.ARCHIVED):
            owner = users["putuo_staff"] if Status.REFERRED in path else mediator
        case.owner = owner
        rule = DEADLINES.get(case.status)
        case.deadline = rule[0](last, rule[1]) if rule else last
        if Status.MEDIATING in path:
            start = timezone.localtime(moments[path.index(Status.MEDIATING)]).date()
            case.mediation_deadline = add_days_rolled(start, a.MEDIATION_DAYS)
        if channel == Channel.COURT_DELEGATION:  # a delegation runs from its registration (actions.court)
            case.delegation_period_ends = add_days_rolled(timezone.localtime(received).date(), a.MEDIATION_DAYS)
            if Status.MEDIATING in path:
                case.mediation_deadline = case.delegation_period_ends
                if case.status == Status.MEDIATING:
                    case.deadline = case.mediation_deadline
        if Status.AGREED in path:
            case.outcome = Outcome.AGREEMENT
        if Status.TERMINATED in path:
            case.outcome = Outcome.TERMINATED
            case.routes_told = "已告知当事人可向普陀区人民法院起诉，或申请劳动人事争议仲裁。"
            case.outcome_note = "被申请人拒绝继续调解"
        if Status.REFERRED in path:
            case.outcome = Outcome.REFERRED
        if case.status == Status.WITHDRAWN:
            case.outcome, case.outcome_note = Outcome.WITHDRAWN, "双方自行和解，申请人撤回申请"
        if case.status == Status.NOT_ACCEPTED:
            case.outcome, case.outcome_note = Outcome.NOT_ACCEPTED, "该纠纷已由人民法院立案受理"
            case.not_accepted_redirect = "舟山市普陀区人民法院"
        if Status.FOLLOWED_UP in path:
            case.satisfaction = rng.choice([5, 5, 5, 4, 4, 3, 2])
        if not case.is_open:
            case.closed_at = moments[-1]
        cases.append(case)
        parties_of.append([(PartyRole.APPLICANT, p) for p in applicants] +
                          [(PartyRole.RESPONDENT, p) for p in respondents])
        timelines.append((path, moments, clerk, mediator))

    # Gap-free numbers per registering centre and year, in order of receipt, after any existing ones.
    sequence: dict = {}
    for case in cases:
        key = (case.registered_centre.pk, timezone.localtime(case.received_at).year)
        if key not in sequence:
            counter = CaseCounter.objects.filter(centre_id=key[0], year=key[1]).first()
            sequence[key] = counter.last if counter else 0
        sequence[key] += 1
        case.number = f"{case.registered_centre.code}-{key[1]}-{sequence[key]:06d}"
    for (centre_id, year), last in sequence.items():
        CaseCounter.objects.update_or_create(centre_id=centre_id, year=year, defaults={"last": last})
    for case in cases:
        assert not case.invariant_errors(), (case.number, case.invariant_errors())
    Case.objects.bulk_create(cases, batch_size=500)
    if not cases[0].pk:  # backends that do not return ids from bulk inserts
        by_key = dict(Case.objects.filter(idempotency_key__startswith=KEY_PREFIX).values_list("idempotency_key", "pk"))
        for case in cases:
            case.pk = case.id = by_key[case.idempotency_key]

    parties, events, assignments, sessions, agreements, referrals, follow_ups = [], [], [], [], [], [], []
    delegations: list = []
    signing_events: list = []  # (case, when it took effect, mediator, where its events go in `events`)
    for case, case_parties, (path, moments, clerk, mediator) in zip(cases, parties_of, timelines, strict=True):
        for role, values in case_parties:
            parties.append(Party(case=case, role=role, **values))
        previous = ""
        for status, at in zip(path, moments, strict=True):
            if status == Status.AGREED:  # drafted, signed by each party on paper and by the mediator, then sealed
                signing_events.append((case, at, mediator, len(events)))
            # A bank registers its own cases; the centre decides whether to accept them.
            acceptor = users["putuo_staff"] if clerk.username == "bank_operator" else clerk
            actor = {Status.REGISTERED: clerk, Status.ACCEPTED: acceptor, Status.NOT_ACCEPTED: acceptor,
                     Status.ASSIGNED: users["putuo_staff"], Status.CONFIRMED: users["court_liaison"],
                     Status.CONFIRMATION_REJECTED: users["court_liaison"], Status.REFERRED: users["putuo_staff"],
                     Status.ARCHIVED: users["putuo_staff"]}.get(status, mediator)
            events.append(CaseEvent(
                case=case, kind=EVENT_KIND[status], at=at, actor=actor, actor_name=str(actor),
                from_status=previous, to_status=status if previous else "",
                reason=case.outcome_note if status in (Status.TERMINATED, Status.WITHDRAWN,
                                                       Status.NOT_ACCEPTED) else "",
                detail={"permission": _permission(status, by_mediator=actor == mediator), "demo": True},
            ))
            previous = status
        if case.channel == Channel.COURT_DELEGATION and court is not None:
            delegations.append(_delegation(case, court, moments[0], path, moments, users, len(delegations) + 1))
            if Status.REFERRED in path:  # a failed delegation goes back to its court (do_return_to_court)
                event = events[len(events) - len(path) + path.index(Status.REFERRED)]
                event.kind = EventKind.RETURNED_TO_COURT
                event.reason = case.outcome_note
                event.detail.update(permission="case.refer", court=court.name,
                                    court_case_number=delegations[-1].court_case_number)
        if Status.ASSIGNED in path:
            assignments.append(Assignment(case=case, mediator=mediator, assigned_by=users["putuo_staff"],
                                          assigned_at=moments[path.index(Status.ASSIGNED)]))
        if Status.MEDIATING in path:
            start = moments[path.index(Status.MEDIATING)]
            for n in range(rng.randrange(1, 3)):
                sessions.append(MediationSession(
                    case=case, held_at=min(start + dt.timedelta(days=n * 2, hours=2), now),
                    place=f"{case.centre.name}调解室", online=rng.random() < 0.2, participants="申请人、被申请人、调解员",
                    record="调解员释法说理，双方陈述意见并就争议焦点进行协商。", recorded_by=mediator,
                ))
        if Status.AGREED in path:
            reached = {status: timezone.localtime(at).date() for status, at in zip(path, moments, strict=True)}
            signed = reached[Status.AGREED]
            confirmed = Status.CONFIRMATION_PENDING in path
            decided = reached.get(Status.CONFIRMED) or reached.get(Status.CONFIRMATION_REJECTED)
            agreements.append(Agreement(
                case=case, parties_snapshot=[{"role": r, **v} for r, v in case_parties],
                facts=case.facts, matters_in_dispute=case.claims, responsibilities="被申请人承担主要责任，申请人承担次要责任。",
                content="经调解，双方自愿达成如下协议：被申请人分期支付款项，双方就此纠纷再无其他争议。",
                performance_manner="银行转账", performance_place="舟山市普陀区",
                performance_deadline=signed + dt.timedelta(days=20),
                signed_on=timezone.localtime(moments[path.index(Status.AGREED)] - SIGNING_STEP).date(),
                effective_on=signed,
                mediator=mediator, confirmation_applied_on=reached.get(Status.CONFIRMATION_PENDING),
                confirmation_court=court if confirmed else None,
                confirmation_decided_on=decided,
                confirmation_accepted=(Status.CONFIRMED in path) if decided else None,
                confirmation_case_number=f"（{signed.year}）浙0903民特{rng.randrange(1, 900)}号"
                if Status.CONFIRMED in path else "",
                performed_on=reached.get(Status.FOLLOWED_UP),
            ))
        if Status.REFERRED in path:
            kind = ReferralKind.ARBITRATION if case.dispute_type.code == "labour" else ReferralKind.LITIGATION
            if case.channel == Channel.COURT_DELEGATION and court is not None:  # returned: the court files it
                kind = ReferralKind.LITIGATION
            at = moments[path.index(Status.REFERRED)]
            returned = Status.FOLLOWED_UP in path or rng.random() < 0.5
            referrals.append(Referral(
                case=case, kind=kind, body=arbitration if kind == ReferralKind.ARBITRATION else court,
                referred_at=at, referred_by=users["putuo_staff"],
                external_number=(f"舟普劳人仲案字〔{at.year}〕第{rng.randrange(1, 500)}号"
                                 if kind == ReferralKind.ARBITRATION
                                 else f"（{at.year}）浙0903民初{rng.randrange(100, 9000)}号") if returned else "",
                result_recorded_at=min(at + dt.timedelta(days=7), now) if returned else None,
            ))
        if Status.FOLLOWED_UP in path:
            follow_ups.append(FollowUp(case=case, at=moments[path.index(Status.FOLLOWED_UP)], satisfaction=case.satisfaction,
                                       by=mediator, note="当事人对调解结果表示认可。"))
    Party.objects.bulk_create(parties, batch_size=1000)
    Assignment.objects.bulk_create(assignments, batch_size=1000)
    MediationSession.objects.bulk_create(sessions, batch_size=1000)
    Agreement.objects.bulk_create(agreements, batch_size=1000)
    _sign_on_paper(signing_events, events)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    Referral.objects.bulk_create(referrals, batch_size=1000)
    Delegation.objects.bulk_create(delegations, batch_size=1000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=1000)
    _merge_duplicates(cases, users["putuo_staff"], out)
    out(f"cases: {len(cases)} demo cases, {len(events)} timeline events "
        f"(numbers up to {Case.objects.aggregate(Max('number'))['number__max']})")


def _delegation(case, court, registered_at, path, moments, users, sequence: int) -> "Delegation":
    """The court's delegation of a demo case (委派调解), under a 案号 in the national format; a case whose
    mediation failed and went on (referred) was returned to the court then, with the reason it failed."""
    year = timezone.localtime(registered_at).year
    delegation = Delegation(
        case=case, court=court, court_case_number=f"（{year}）浙0903民诉前调{100 + sequence}号",
        registered_at=registered_at, registered_by=users["court_liaison"], period_ends=case.delegation_period_ends)
    if Status.REFERRED in path:
        delegation.returned_at = moments[path.index(Status.REFERRED)]
        delegation.returned_by = users["putuo_staff"]
        delegation.return_reason = case.outcome_note
    return delegation


def demo_scan(name: str = "signed-page.png"):
    """A small PNG standing for the scan of a page signed on paper (an upload, as the form sends it)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (60, 80), (250, 250, 245)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def sign_on_paper(case, *, by, witness: str = ""):
    """A drafted agreement taken to effect at the centre through the actions (art. 29): each party signs
    on paper (a scan of the signed page and the witness recorded), the mediator `by` signs, the
    committee's seal is applied. Returns the case, agreed. For the demos and the tests' factories."""
    witness = witness or by.display_name or by.get_username()
    for party in case.parties.order_by("role", "id"):
        a.do_record_paper_signature(case, by=by, party=party, scan=demo_scan(), witness=witness)
        case.refresh_from_db()
    case = a.do_sign_agreement(case, by=by)
    return a.do_seal_agreement(case, by=by)


SIGNING_STEP = dt.timedelta(minutes=20)  # between the demo's signing steps on the day an agreement took effect


def _sign_on_paper(signing_events, events) -> None:
    """Each demo agreement went through the steps of art. 29 at the centre (actions.signing): drafted,
    signed on paper by each party (a scan of the signed page kept, the mediator witnessing), signed by the
    mediator, then sealed: the signatures and their timeline lines, inserted before the line of the seal."""
    from django.core.files.base import ContentFile

    from yiwang.cases.actions.signing import get_signer_label
    from yiwang.cases.documents import get_committee_name
    from yiwang.cases.models import AgreementSignature, Attachment, SignatureMethod, SignerRole
    from yiwang.core.storage import private_storage
    if not signing_events:
        return
    scan = private_storage.save("cases/demo/signed-page.png", ContentFile(demo_scan().read()))
    size = private_storage.size(scan)
    cases = [case for case, *_ in signing_events]
    agreements = {a.case_id: a for a in Agreement.objects.filter(case__in=cases)}
    parties = defaultdict(list)
    for party in Party.objects.filter(case__in=cases).order_by("role", "id"):
        parties[party.case_id].append(party)
    signatures, scans, inserted = [], [], 0
    for case, at, mediator, index in signing_events:
        agreement, name = agreements[case.pk], mediator.display_name or mediator.username
        steps = [(at - SIGNING_STEP * (len(parties[case.pk]) + 2), EventKind.AGREEMENT_DRAFTED, {})]
        for n, party in enumerate(parties[case.pk]):
            when = at - SIGNING_STEP * (len(parties[case.pk]) + 1 - n)
            attachment = Attachment(case=case, file=scan, name=f"{get_signer_label(party)} 签字页.png",
                                    content_type="image/png", size=size, uploaded_at=when, uploaded_by=mediator)
            scans.append(attachment)
            signatures.append(AgreementSignature(
                agreement=agreement, role=party.role, party=party, method=SignatureMethod.PAPER,
                label=get_signer_label(party), signed_at=when, recorded_by=mediator, scan=attachment, witness=name))
            steps.append((when, EventKind.AGREEMENT_SIGNED, {"role": party.role, "method": "paper", "party": party.pk}))
        signatures.append(AgreementSignature(agreement=agreement, role=SignerRole.MEDIATOR, label=f"调解员 {name}",
                                             method=SignatureMethod.IN_PERSON, signed_at=at - SIGNING_STEP,
                                             recorded_by=mediator))
        steps.append((at - SIGNING_STEP, EventKind.AGREEMENT_SIGNED, {"role": "mediator", "method": "in_person"}))
        signatures.append(AgreementSignature(agreement=agreement, role=SignerRole.COMMITTEE, signed_at=at,
                                             label=get_committee_name(case), method=SignatureMethod.IN_PERSON,
                                             recorded_by=mediator))
        lines = [CaseEvent(case=case, kind=kind, at=when, actor=mediator, actor_name=str(mediator),
                           detail={"permission": "case.mediate", "demo": True, **detail})
                 for when, kind, detail in steps]
        events[index + inserted:index + inserted] = lines
        inserted += len(lines)
    Attachment.objects.bulk_create(scans, batch_size=1000)
    AgreementSignature.objects.bulk_create(signatures, batch_size=1000)


def _merge_duplicates(cases, staff, out) -> None:
    """A few disputes arrived twice through different channels and were merged (one case, both histories)."""
    # Rewriting an archived case as a merged one keeps things simple and consistent: its own timeline
    # stays, a "merged" line is added to both, and the survivor keeps everything.
    merged = 0
    archived = [c for c in cases if c.status == Status.ARCHIVED and c.dispute_type.code == "neighbourhood"]
    for duplicate, survivor in zip(archived[0::2], archived[1::2], strict=False):
        if merged >= 3:
            break
        at = duplicate.received_at + dt.timedelta(days=1)
        CaseEvent.objects.filter(case=duplicate).exclude(kind=EventKind.REGISTERED).delete()
        FollowUp.objects.filter(case=duplicate).delete()
        Agreement.objects.filter(case=duplicate).delete()
        MediationSession.objects.filter(case=duplicate).delete()
        Assignment.objects.filter(case=duplicate).delete()
        Referral.objects.filter(case=duplicate).delete()
        # The same applicant came again through another channel.
        original = survivor.parties.filter(role=PartyRole.APPLICANT).first()
        duplicate.parties.filter(role=PartyRole.APPLICANT).update(
            name=original.name, id_number=original.id_number, phone=original.phone, address=original.address,
            kind=original.kind, credit_code=original.credit_code,
        )
        Case.objects.filter(pk=duplicate.pk).update(
            status=Status.MERGED, outcome=Outcome.MERGED, merged_into=survivor, closed_at=at, satisfaction=None,
            outcome_note="同一纠纷经不同渠道重复登记", routes_told="",
        )
        for case, kind, detail in ((duplicate, EventKind.MERGED, {"into": survivor.number}),
                                   (survivor, EventKind.MERGED_IN, {"duplicate": duplicate.number})):
            CaseEvent.objects.create(
                case=case, kind=kind, at=max(at, survivor.received_at), actor=staff, actor_name=str(staff),
                from_status=Status.REGISTERED if case is duplicate else "",
                to_status=Status.MERGED if case is duplicate else "", reason="同一纠纷经不同渠道重复登记",
                detail={"permission": "case.route", "demo": True, **detail},
            )
        merged += 1
    out(f"cases: {merged} duplicates merged")
