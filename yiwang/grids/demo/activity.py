"""The demo grids' activity: ten weeks of visits and a few months of problems in every state.

`load_activity` is run by the `yiwang demo` command after every app's `load`, never by the test
fixture: the grids tests count board figures on the master data alone."""

import datetime
import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Centre, Organisation, OrganisationKind, Team, TeamKind
from yiwang.audit.actions import record
from yiwang.grids.actions import ACCEPT_WORKDAYS, HANDLE_WORKDAYS, STEPS
from yiwang.grids.demo.master import GIVEN, OPEN311_KEY, PUTUO, SURNAMES, UNIT_ACCOUNTS, UNITS
from yiwang.grids.models import (
    Category,
    Channel,
    Grid,
    Open311Key,
    Problem,
    ProblemEvent,
    State,
    TaskState,
    TeamMember,
    Tier,
    Visit,
    VisitTask,
)
from yiwang.grids.schedule import do_plan_visits, get_due_date, get_week_day

ACTIVITY_SEED = 20251128
WEEKS = 10  # visit days planned and logged, counting back from this week's
MISSED_SHARE = 0.06
LATE_SHARE = 0.05  # visits made a working day after the visit day (still that week's task)
PROBLEMS_PER_VISIT = 0.03  # the seed's 7,715 visits solved 6,506 problems; the demo keeps a lower rate
# Before the visits the demo logs (the last WEEKS), the grid teams reported what they found on their rounds
# through the web, about as many a month as the visits find now, since 2 January last year; so the monthly
# figures run over the whole period instead of starting with the logged visits.
EARLIER_PER_MONTH = 55
HOTLINE_PROBLEMS = 140  # reported through Open311 (the 12345 hotline's client) since 2 January last year
REFERRED_CASES = 40  # at most: disputes handed to mediation, one per demo case that came from a grid
TODAY_NEW = [State.REPORTED, State.REPORTED, State.ACCEPTED, State.ACCEPTED, State.DISPATCHED, State.REPORTED]
TODAY_CLEARED = 6
LIUHENG = "330903100"

EXISTING_UNITS = {
    "justice": "舟山市普陀区司法局",
    "police": "舟山市公安局普陀区分局",
    "social": "普陀区社会组织服务中心",
}
PLACES = ["村口公交站旁", "渔港码头", "老年活动中心门口", "菜市场东侧", "村委会后面小路", "海塘边", "文化礼堂前",
          "小学门口", "沿海公路边", "安置小区3幢楼道", "农贸市场西门", "避风港堤坝"]
CATEGORY_WEIGHTS = {Category.ENVIRONMENT: 34, Category.SAFETY: 20, Category.DISPUTE: 14,
                    Category.LIVELIHOOD: 22, Category.OTHER: 10}
# category → (description, outcome fed back, who handles it: "team" or a unit key)
STORIES = {
    Category.ENVIRONMENT: [
        ("{place}垃圾桶满溢，周边散落生活垃圾，气味较大。", "已联系保洁员清运，清运频次增至每日两次。", "team"),
        ("{place}建筑垃圾乱堆乱放，占用公共通道。", "已督促业主清运建筑垃圾，通道恢复畅通。", "enforcement"),
        ("{place}排水沟堵塞，雨后污水外溢。", "已组织人员疏通排水沟，清理淤泥约两立方米。", "team"),
        ("{place}废弃渔网、泡沫浮球堆积，影响村容村貌。", "已联系渔业合作社回收废旧网具和浮球。", "team"),
        ("{place}有商户占道晾晒鱼鲞，影响通行和卫生。", "已劝导商户在指定区域晾晒，占道物品已清理。", "enforcement"),
        ("河道水面漂浮垃圾较多，{place}岸边杂草丛生。", "已安排河道保洁员打捞清理，修剪岸边杂草。", "team"),
        ("{place}水产加工作坊污水直排入海。", "已责令作坊停止直排，接入污水管网。", "ecology"),
    ],
    Category.SAFETY: [
        ("{place}路灯损坏多日，夜间通行存在安全隐患。", "已联系供电所更换灯具，路灯恢复照明。", "team"),
        ("{place}一处老旧房屋外墙开裂、瓦片松动，存在坠落风险。", "已设置警示标志，督促房主完成修缮加固。", "housing"),
        ("{place}电动自行车在楼道内充电，飞线充电现象突出。", "已上门劝导，拆除飞线，引导至集中充电点充电。", "team"),
        ("{place}井盖缺失，行人和车辆通行存在危险。", "已临时围挡并补装井盖。", "housing"),
        ("{place}山塘护坡有松动迹象，台风季存在滑坡隐患。", "应急部门现场评估后落实监测责任人，护坡已加固。", "emergency"),
        ("{place}出租房灭火器过期、消防通道被杂物堵塞。", "已更换灭火器，清理消防通道。", "emergency"),
        ("{place}夜间有车辆超速行驶，村民反映存在交通安全隐患。", "已增设减速带和警示牌，交警加强夜间巡查。", "police"),
    ],
    Category.DISPUTE: [
        ("两户村民因宅基地边界围墙发生争执，情绪较为激动，地点：{place}。",
         "网格团队联合司法所现场调解，双方同意按原界址重砌围墙。", "justice"),
        ("邻里之间因空调外机噪音和滴水问题产生矛盾（{place}）。", "经上门调解，一方调整外机位置并加装接水管，双方和解。",
         "team"),
        ("渔船船员与船东就工钱结算产生分歧，船员多次上门讨要（{place}）。", "经调解，船东同意分两期结清工钱，已履行第一期。",
         "justice"),
        ("租户与房东因押金退还问题发生纠纷（{place}）。", "经调解，房东扣除水电费后退还押金，双方无异议。", "team"),
        ("{place}两家商户因摊位占道相互推搡。", "民警和网格员到场劝解，明确摊位界线，双方握手言和。", "police"),
    ],
    Category.LIVELIHOOD: [
        ("台风过后，果农{name}家种植的葡萄滞销约两千斤，急需销路。", "已对接供销社和社区团购平台，滞销葡萄全部售出。",
         "agriculture"),
        ("台风过后柑橘落果严重，农户{name}家约三千斤柑橘滞销。", "区农业农村局联合爱心企业开展助农直播，柑橘已基本售完。",
         "agriculture"),
        ("独居老人{name}行动不便，反映家中无人照料、就医困难。", "已落实邻里结对帮扶，纳入居家养老上门服务。", "civil"),
        ("{name}家庭因病致困，申请临时救助。", "已协助申请临时救助，救助金已发放到位。", "civil"),
        ("渔民{name}反映休渔期收入减少，希望获得就业技能培训信息。", "已推荐参加技能培训并登记就业意向。", "team"),
        ("村里老人反映到镇卫生院看病缺少公交班次（{place}）。", "已协调公交公司增加早晚两个班次。", "team"),
        ("台风过后{name}家大棚被掀翻，蔬菜无法上市，请求帮助。", "已协调农技人员指导复产，申请农业保险理赔。", "agriculture"),
        ("留守儿童{name}放学后无人看护。", "已安排进入村“四点半课堂”，由志愿者看护辅导。", "social"),
    ],
    Category.OTHER: [
        ("{place}公告栏破损，村务公开信息无法张贴。", "已更换公告栏，村务信息重新张贴。", "team"),
        ("村民反映自来水水压不足，高峰时段二楼以上无水（{place}）。", "已联系供水公司检修管网，水压恢复正常。", "team"),
        ("{place}有流浪犬聚集，村民担心被咬伤。", "已联系相关部门收容流浪犬。", "enforcement"),
        ("村民咨询医保缴费和养老保险办理流程。", "已上门讲解政策并协助在手机上完成缴费。", "team"),
    ],
}
VISIT_NOTES = ["走访农户，宣传防台防汛知识。", "走访独居老人，了解生活需求。", "开展反诈宣传，发放宣传资料。",
               "排查出租房消防安全隐患。", "走访渔民家庭，了解休渔期生产生活情况。", "收集群众意见建议。",
               "走访困难家庭，送去慰问品。", "开展垃圾分类入户宣传。", "走访种养殖户，了解台风后生产恢复情况。"]
RETURN_REASONS = ["不属于本单位职责范围，请重新派遣。", "该问题涉及供水管网，应由供水公司处理。"]
PARK_REASONS = ["需纳入明年村庄整治项目统筹解决，资金尚未落实。", "涉及多部门职责交叉，待镇联席会议研究。",
                "需待台风季结束后施工。"]
EXTENSION_REASONS = ["需等待材料采购，申请延长办理期限。", "涉及多户村民，需进一步协调。"]
INVALID_REASONS = ["重复上报，已与前一问题合并处理。", "经核实不属于本辖区。", "经现场核实，问题已不存在。"]
REJECT_REASONS = ["现场核查发现问题仍未彻底解决，需继续处理。", "群众对处理结果不满意，需重新处理。"]
CLOSE_NOTES = ["现场核查属实，予以办结。", "群众满意，办结。", ""]


def _token(kind: str, index: int) -> str:
    # Deterministic, so that a second run finds the first one's problems.
    return hashlib.md5(f"yiwang-demo-{kind}-{index}".encode()).hexdigest()


class _Calendar:
    """Working days for the demo's span, read once (the actions' calendar asks the database each time)."""

    def __init__(self, start: datetime.date, end: datetime.date):
        from yiwang.core.calendar import get_overrides, is_working_day

        overrides = get_overrides(start, end + datetime.timedelta(days=60))
        self.working = {}
        day = start
        while day <= end + datetime.timedelta(days=60):
            self.working[day] = is_working_day(day, overrides)
            day += datetime.timedelta(days=1)

    def is_working(self, day) -> bool:
        return self.working[day]

    def add(self, start: datetime.date, days: int) -> datetime.date:
        day, left = start, days
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.working[day]:
                left -= 1
        return day


def _at(day: datetime.date, minutes: int) -> datetime.datetime:
    """`minutes` after midnight of `day`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min) + datetime.timedelta(minutes=minutes))


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _target(rng: random.Random, age: int) -> str:
    """Where a problem reported `age` days ago most likely stands now: most are cleared within days."""
    if age < 1:
        return _weighted(rng, {State.REPORTED: 3, State.ACCEPTED: 3, State.DISPATCHED: 2, State.SIGNED_FOR: 1})
    if age < 4:
        return _weighted(rng, {State.ACCEPTED: 1, State.DISPATCHED: 2, State.SIGNED_FOR: 2, State.IN_PROGRESS: 4,
                               State.FEEDBACK: 2, State.VERIFYING: 1, State.CLOSED: 5, State.RETURNED: 1,
                               State.INVALID: 1})
    if age < 15:
        return _weighted(rng, {State.IN_PROGRESS: 3, State.FEEDBACK: 2, State.VERIFYING: 1.5,
                               State.EXTENSION_REQUESTED: 1, State.RETURNED: 0.5, State.PARKED: 0.5,
                               State.CLOSED: 28, State.INVALID: 1})
    if age > 120:  # months old: cleared long since, a few parked (挂账) or found invalid
        return _weighted(rng, {State.CLOSED: 60, State.PARKED: 0.4, State.INVALID: 1.5})
    return _weighted(rng, {State.CLOSED: 45, State.PARKED: 1.2, State.IN_PROGRESS: 0.5, State.INVALID: 1.5,
                           State.EXTENSION_REQUESTED: 0.15, State.FEEDBACK: 0.2})


HANDLE = ["accept", "dispatch", "sign_for", "start"]
PATHS = {
    State.REPORTED: [],
    State.INVALID: ["mark_invalid"],
    State.ACCEPTED: ["accept"],
    State.DISPATCHED: ["accept", "dispatch"],
    State.SIGNED_FOR: ["accept", "dispatch", "sign_for"],
    State.IN_PROGRESS: HANDLE,
    State.RETURNED: ["accept", "dispatch", "return"],
    State.EXTENSION_REQUESTED: [*HANDLE, "request_extension"],
    State.PARKED: [*HANDLE, "park"],
    State.FEEDBACK: [*HANDLE, "feed_back"],
    State.VERIFYING: [*HANDLE, "feed_back", "verify"],
    State.CLOSED: [*HANDLE, "feed_back", "verify", "close"],
}
# Other ways to the same end, taken by a share of problems: (share, path)
CLOSED_VARIANTS = [
    (0.07, [*HANDLE, "request_extension", "decide_extension", "feed_back", "verify", "close"]),
    (0.06, [*HANDLE, "feed_back", "verify", "reject_verification", "feed_back", "verify", "close"]),
    (0.06, ["accept", "dispatch", "return", "dispatch", "sign_for", "start", "feed_back", "verify", "close"]),
]
IN_PROGRESS_VARIANTS = [
    (0.4, [*HANDLE, "request_extension", "decide_extension"]),
    (0.05, [*HANDLE, "park", "unpark"]),
]
# working days a step takes after the one before: choices
GAPS = {
    "accept": [0] * 18 + [1, 2], "mark_invalid": [0, 0, 1], "dispatch": [0, 0, 1], "sign_for": [0, 0, 1],
    "return": [0, 1], "start": [0], "request_extension": [2, 3, 4, 5], "decide_extension": [0, 1],
    "park": [2, 3, 5], "unpark": [5, 8, 12], "feed_back": [1, 2, 2, 3, 4, 6], "verify": [0, 1],
    "close": [0], "reject_verification": [0], "refer_to_mediation": [0, 1],
}
DISPATCHER_STEPS = {step for step, (action, *_rest) in STEPS.items() if action == "grid.dispatch"}
VERIFIER_STEPS = {step for step, (action, *_rest) in STEPS.items() if action == "grid.verify"}


@dataclass
class _Spec:
    """A problem to be made: where and when it was reported, what it is, where it stands now."""

    grid: tuple | None  # (id, area_id, name, village name, team id)
    reported_at: datetime.datetime
    category: str
    story: tuple
    target: str = State.REPORTED
    channel: str = Channel.VISIT
    visit: Visit | None = None
    reporter: object = None
    reporter_name: str = ""
    reporter_contact: str = ""
    location: str = ""
    triage_grid: tuple | None = None  # the grid given on acceptance, for a problem in triage
    today: bool = False  # reported today: its steps so far happened today
    clear_today: bool = False
    forced: bool = False  # given its state so that every state shows
    case: object = None
    path: list = field(default_factory=list)


class _Activity:
    """Builds the demo's visits and problems in memory, then writes them in bulk."""

    def __init__(self, out):
        self.out = out
        self.rng = random.Random(ACTIVITY_SEED)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.calendar = _Calendar(datetime.date(self.today.year - 2, 1, 1), self.today)
        self.users = {u.username: u for u in User.objects.filter(
            username__in=["grid_worker", "liuheng_staff", "putuo_staff", *(a[0] for a in UNIT_ACCOUNTS)])}
        # unit (organisation) id → its demo account: the unit's steps are taken by it where it has one
        self.unit_accounts = {
            organisation_id: self.users[username] for username, organisation_id in Grant.objects.filter(
                user__username__in=[a[0] for a in UNIT_ACCOUNTS], organisation__isnull=False,
            ).values_list("user__username", "organisation_id") if username in self.users}
        self.key = Open311Key.objects.filter(key=OPEN311_KEY).first()
        self.units = {}
        for key, name in UNITS.items():
            self.units[key], _ = Organisation.objects.update_or_create(
                name=name, defaults={"kind": OrganisationKind.DISTRICT_UNIT, "area_id": PUTUO, "illustrative": True}
            )
        for key, name in EXISTING_UNITS.items():
            self.units[key] = Organisation.objects.filter(name=name).first()
        self.centre_names = dict(Centre.objects.filter(area__code__startswith=PUTUO, level="town")
                                 .values_list("area_id", "name"))
        self.teams = dict(Team.objects.filter(kind=TeamKind.GRID, area__code__startswith=PUTUO)
                          .values_list("id", "name"))
        self.team_objects = {}
        self.members = defaultdict(list)
        for member in TeamMember.objects.filter(team_id__in=self.teams).order_by("id"):
            self.members[member.team_id].append(member)
        worker = self.users.get("grid_worker")
        self.worker_team = (TeamMember.objects.filter(user=worker).values_list("team_id", flat=True).first()
                            if worker else None)
        # (grid id, village code, grid name, village name, team id, households), one row per team and grid
        self.pairs = list(
            Grid.objects.filter(active=True, area__code__startswith=PUTUO, teams__kind=TeamKind.GRID,
                                teams__active=True)
            .values_list("id", "area_id", "name", "area__name", "teams__id", "households").order_by("code", "teams__id")
        )
        self.grids = {row[0]: row[:5] for row in self.pairs}

    # ------------------------------------------------------------------------------------------ time

    def after(self, at: datetime.datetime, workdays: int) -> datetime.datetime:
        """A moment `workdays` working days after `at`, in office hours (0: later the same working day)."""
        local = timezone.localtime(at)
        day = local.date()
        if workdays == 0:
            later = at + datetime.timedelta(minutes=self.rng.randrange(10, 120))
            # 日清: what is found today is dealt with today, if need be after hours.
            if self.calendar.is_working(day) and timezone.localtime(later) < _at(day, 19 * 60 + 30):
                return later
            workdays = 1
        day = self.calendar.add(day, workdays)
        return _at(day, 8 * 60 + 30 + self.rng.randrange(0, 540))

    def visit_time(self, day: datetime.date) -> datetime.datetime:
        return _at(day, 8 * 60 + 30 + self.rng.randrange(0, 420))

    # ------------------------------------------------------------------------------------------ visits

    def make_visits(self) -> list[Visit]:
        """Every team's task for each of its grids on the visit day of the past weeks: mostly visited,
        some missed; tasks someone already worked on are left as they are."""
        this_week = get_week_day(self.today)
        weeks = []
        for back in range(WEEKS):
            week_day = this_week - datetime.timedelta(days=7 * back)
            due = get_due_date(week_day)
            if due is not None and due <= self.today:
                weeks.append((week_day, due))
        existing = {(t.team_id, t.grid_id, t.week_day): t
                    for t in VisitTask.objects.filter(week_day__in=[w for w, _ in weeks])}
        worked = set(Visit.objects.filter(task__in=list(existing.values())).values_list("task_id", flat=True))
        new_tasks, changed, planned_visits = [], [], []
        for week_day, due in reversed(weeks):
            for grid_id, area_id, _name, _village, team_id, households in self.pairs:
                task = existing.get((team_id, grid_id, week_day))
                if task is not None and (task.pk in worked or task.state == TaskState.DONE):
                    continue
                if task is None:
                    task = VisitTask(team_id=team_id, grid_id=grid_id, area_id=area_id, week_day=week_day,
                                     due_date=due, created_at=_at(week_day - datetime.timedelta(days=7), 60))
                    new_tasks.append(task)
                else:
                    changed.append(task)
                date = due
                if self.rng.random() < LATE_SHARE:
                    late = self.calendar.add(due, 1)
                    sunday = due + datetime.timedelta(days=6 - due.weekday())
                    if late <= min(self.today, sunday):  # a late visit still counts for its week's task
                        date = late
                at = self.visit_time(date)
                if self.rng.random() < MISSED_SHARE:
                    task.state = TaskState.MISSED if due < self.today else TaskState.PLANNED
                elif at > self.now:
                    task.state = TaskState.PLANNED  # later today
                else:
                    task.state = TaskState.DONE
                    planned_visits.append((task, team_id, grid_id, area_id, households, date, at))
        VisitTask.objects.bulk_create(new_tasks, batch_size=1000)
        VisitTask.objects.bulk_update(changed, ["state"], batch_size=1000)
        if new_tasks and new_tasks[0].pk is None:  # a backend that does not return ids from bulk inserts
            ids = {(t.team_id, t.grid_id, t.week_day): t.pk for t in VisitTask.objects.filter(
                week_day__in=[w for w, _ in weeks])}
            for task in new_tasks:
                task.pk = task.id = ids[(task.team_id, task.grid_id, task.week_day)]

        worker = self.users.get("grid_worker")
        visits, present = [], []
        for task, team_id, grid_id, area_id, households, date, at in planned_visits:
            members = self.members[team_id]
            chosen = self.rng.sample(members, k=min(len(members), self.rng.randrange(2, 5))) if members else []
            visits.append(Visit(
                grid_id=grid_id, team_id=team_id, task=task, area_id=area_id, date=date,
                households_visited=self.rng.randrange(6, max(8, min(40, (households or 80) // 5))),
                others_present=self.rng.choice(["", "", "村民代表", "村妇联主席", "驻村民警"]),
                notes=self.rng.choice(VISIT_NOTES),
                logged_by=worker if team_id == self.worker_team else None,
                created_at=min(at + datetime.timedelta(minutes=self.rng.randrange(60, 240)), self.now),
            ))
            present.append(chosen)
            visits[-1].started_at = at  # not a field: problems found on the visit are reported after it
        Visit.objects.bulk_create(visits, batch_size=1000)
        if visits and visits[0].pk is None:
            raise RuntimeError("the database did not return ids from a bulk insert")
        through = Visit.members_present.through
        through.objects.bulk_create(
            [through(visit_id=visit.pk, teammember_id=m.pk) for visit, chosen in zip(visits, present, strict=True)
             for m in chosen], batch_size=2000,
        )
        self.present = {visit.pk: chosen for visit, chosen in zip(visits, present, strict=True)}
        missed = sum(t.state == TaskState.MISSED for t in [*new_tasks, *changed])
        self.out(f"grids: {len(visits)} visits over {len(weeks)} visit days, {missed} missed")
        return visits

    # ------------------------------------------------------------------------------------------ problems

    def story(self, category: str) -> tuple:
        return self.rng.choice(STORIES[category])

    def citizen(self) -> tuple[str, str]:
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)
        return name, f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def plan_problems(self, visits: list[Visit]) -> list[_Spec]:
        rng, specs = self.rng, []
        worker = self.users.get("grid_worker")
        # Found on visits; 六横, the demo's showcase town, a little more often.
        for visit in visits:
            rate = PROBLEMS_PER_VISIT * (1.5 if visit.area_id.startswith(LIUHENG) else 1)
            count = (rng.random() < rate) + (rng.random() < rate / 6)
            for n in range(count):
                category = _weighted(rng, CATEGORY_WEIGHTS)
                chosen = self.present[visit.pk]
                by_worker = visit.logged_by_id is not None and visit.logged_by_id == getattr(worker, "pk", None)
                specs.append(_Spec(
                    grid=self.grids[visit.grid_id], reported_at=visit.started_at + datetime.timedelta(minutes=20 * n + 40),
                    category=category, story=self.story(category), visit=visit,
                    reporter=worker if by_worker else None,
                    reporter_name=str(worker) if by_worker else (chosen[0].name if chosen else self.teams[visit.team_id]),
                ))
        grid_rows = list(self.grids.values())
        since = datetime.date(self.today.year - 1, 1, 2)
        specs += self.plan_earlier(grid_rows, since, min((timezone.localtime(v.started_at).date() for v in visits if v.started_at),
                                                         default=self.today))
        # Through the hotline's Open311 client, any day; some name no grid and wait in the district's triage.
        span = (self.today - since).days
        for _n in range(HOTLINE_PROBLEMS):
            day = self.today - datetime.timedelta(days=rng.randrange(0, span + 1))
            grid = rng.choice(grid_rows)
            category = _weighted(rng, CATEGORY_WEIGHTS)
            name, phone = self.citizen()
            triage = rng.random() < 0.08
            specs.append(_Spec(
                grid=None if triage else grid, triage_grid=grid if triage else None,
                reported_at=_at(day, 7 * 60 + rng.randrange(0, 900)), category=category,
                story=self.story(category), channel=Channel.OPEN311, reporter_name=name, reporter_contact=phone,
                location=rng.choice(["沈家门渔港附近", "客运码头对面", "环岛公路边"]) if triage else f"{grid[3]}{grid[2]}",
            ))
        specs = [s for s in specs if s.reported_at <= self.now]
        for spec in specs:
            spec.target = _target(rng, (self.today - timezone.localtime(spec.reported_at).date()).days)
        self.plan_today(specs, grid_rows)
        self.force_every_state(specs)
        return specs

    def plan_earlier(self, grid_rows: list, since: datetime.date, until: datetime.date) -> list[_Spec]:
        """What the grid teams reported on their rounds before the logged visits, EARLIER_PER_MONTH a
        month on working days, each by a member of the grid's team."""
        rng, specs, day = self.rng, [], since
        days = []
        while day < until:
            if self.calendar.is_working(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        count = round(EARLIER_PER_MONTH * len(days) / 21.75)
        for day in sorted(rng.choices(days, k=count)) if days else []:
            grid = rng.choice(grid_rows)
            category = _weighted(rng, CATEGORY_WEIGHTS)
            members = self.members[grid[4]]
            specs.append(_Spec(
                grid=grid, reported_at=self.visit_time(day), category=category, story=self.story(category),
                channel=Channel.WEB, reporter_name=rng.choice(members).name if members else self.teams[grid[4]],
                location=f"{grid[3]}{grid[2]}",
            ))
        return specs

    def plan_today(self, specs: list[_Spec], grid_rows: list) -> None:
        """The board's today: a few new reports (the first in 六横), a few cleared."""
        rng = self.rng
        start = _at(self.today, 0)
        liuheng = [g for g in grid_rows if g[1].startswith(LIUHENG)]
        for n, target in enumerate(TODAY_NEW):
            grid = rng.choice(liuheng if n < 3 else grid_rows)
            category = _weighted(rng, CATEGORY_WEIGHTS)
            name, phone = self.citizen()
            span = (self.now - start).total_seconds()
            reported = start + datetime.timedelta(seconds=span * (0.3 + 0.1 * n) / 1.1)
            specs.append(_Spec(
                grid=None if n == len(TODAY_NEW) - 1 else grid, reported_at=reported, category=category,
                story=self.story(category), channel=Channel.OPEN311, reporter_name=name, reporter_contact=phone,
                location=f"{grid[3]}{grid[2]}" if n < len(TODAY_NEW) - 1 else "东港商业街路口", target=target,
                today=True, triage_grid=grid if n == len(TODAY_NEW) - 1 else None,
            ))
            if n == len(TODAY_NEW) - 1:
                specs[-1].target = State.REPORTED  # still in triage
        # Cleared today: problems of the last fortnight, 六横's first.
        candidates = sorted(
            (s for s in specs if s.grid and not s.today and 2 <= (self.now - s.reported_at).days <= 12),
            key=lambda s: (not s.grid[1].startswith(LIUHENG), s.reported_at),
        )
        for spec in candidates[:2] + rng.sample(candidates[2:], k=min(len(candidates) - 2, TODAY_CLEARED - 2)):
            spec.target, spec.clear_today = State.CLOSED, True

    def force_every_state(self, specs: list[_Spec]) -> None:
        """Chance alone may leave a state out; the demo shows every one at least twice."""
        pool = [s for s in specs if s.grid and not s.today and not s.clear_today
                and 3 <= (self.now - s.reported_at).days <= 40]
        self.rng.shuffle(pool)
        for state in [s for s in PATHS if s != State.REPORTED]:
            for _n in range(2):  # chosen ones, whatever chance gave the others (a timeline may stop short)
                if not pool:
                    break
                spec = pool.pop()
                spec.target, spec.forced = state, True
        # A report more than two working days old that nobody accepted: overdue for acceptance.
        old = [s for s in pool if s.target == State.CLOSED and self.calendar.add(
            timezone.localtime(s.reported_at).date(), ACCEPT_WORKDAYS) < self.today]
        for spec in old[:2]:
            spec.target, spec.forced = State.REPORTED, True

    def plan_referrals(self) -> list[_Spec]:
        """Disputes handed to mediation: one for each demo case that came in from a grid (channel "grid"),
        reported on a grid of the case's village shortly before the case was registered. A closed case
        has closed its problem too (grids.actions.follow_case), with the case's outcome."""
        from yiwang.cases.models import Case, Status

        specs = []
        by_village = defaultdict(list)
        for row in self.grids.values():
            by_village[row[1]].append(row)
        cases = (Case.objects.filter(channel="grid", area__code__startswith=PUTUO, grid_problems=None)
                 .exclude(status=Status.MERGED).select_related("created_by", "team").order_by("-received_at"))
        for case in cases:
            if case.area_id not in by_village or len(specs) >= REFERRED_CASES:
                continue
            grid = self.rng.choice(by_village[case.area_id])
            members = self.members[grid[4]]
            specs.append(_Spec(
                grid=grid, reported_at=case.received_at - datetime.timedelta(hours=self.rng.randrange(3, 30)),
                category=Category.DISPUTE, story=(case.facts, "", "team"), channel=Channel.WEB,
                reporter_name=members[0].name if members else self.teams[grid[4]], case=case,
                target=State.CLOSED if not case.is_open else State.REFERRED,
                path=(["accept"] if self.rng.random() < 0.5 else []) + ["refer_to_mediation"],
            ))
        return specs

    # ------------------------------------------------------------------------------------------ timelines

    def path_for(self, spec: _Spec) -> list[str]:
        if spec.path:
            return spec.path
        variants = {State.CLOSED: CLOSED_VARIANTS, State.IN_PROGRESS: IN_PROGRESS_VARIANTS}.get(spec.target, [])
        roll = self.rng.random()
        for share, path in variants:
            if roll < share and not spec.clear_today:
                return list(path)
            roll -= share
        return list(PATHS[spec.target])

    def moments_for(self, spec: _Spec, path: list[str]) -> tuple[list[str], list[datetime.datetime]]:
        """The steps taken so far and when: working days apart as practice has it, never in the future.
        A timeline that would run past now stops where now finds it, unless the problem must reach its
        state (one shown for every state, one cleared today): that one is squeezed into the time there was."""
        moments, at = [], spec.reported_at
        for step in path:
            if spec.today:
                at = at + datetime.timedelta(minutes=self.rng.randrange(5, 40))
            else:
                at = self.after(at, self.rng.choice(GAPS[step]))
            moments.append(at)
        if spec.case is not None:
            moments[-1] = spec.case.received_at
            if len(moments) > 1:
                moments[0] = spec.reported_at + (spec.case.received_at - spec.reported_at) / 2
            return path, moments
        end = self.now - datetime.timedelta(minutes=1)
        if spec.clear_today:
            start = _at(self.today, 0)
            end = start + (self.now - start) * self.rng.uniform(0.3, 0.9)
        if moments and moments[-1] > end:
            if not (spec.forced or spec.clear_today):
                # Not there yet: the problem stands where its timeline has reached by now.
                kept = sum(m <= end for m in moments)
                return path[:kept], moments[:kept]
            span, room = moments[-1] - spec.reported_at, end - spec.reported_at
            moments = [spec.reported_at + (m - spec.reported_at) * (room / span) for m in moments]
        elif spec.clear_today:
            moments[-1] = end
        return path, moments

    def dispatcher(self, area_id: str, tier: str) -> tuple:
        if tier == Tier.SERIOUS or area_id == PUTUO:
            return self.users.get("putuo_staff"), ""
        if area_id.startswith(LIUHENG):
            return self.users.get("liuheng_staff"), ""
        return None, self.centre_names.get(area_id[:9], "")

    def assignee(self, spec: _Spec, previous) -> tuple:
        """(organisation, team) a problem is dispatched to: the unit its story names or the grid's own
        team; after a return, the other one."""
        unit = self.units.get(spec.story[2])
        own = spec.grid[4]
        if previous is None:
            return (unit, None) if unit is not None else (None, own)
        return (None, own) if previous[0] is not None else (self.units["enforcement"], None)

    def build(self, spec: _Spec) -> tuple[Problem, list[ProblemEvent]]:
        """The problem as the actions would have left it after its timeline, and the timeline."""
        rng = self.rng
        path, moments = self.moments_for(spec, self.path_for(spec))
        grid = spec.grid
        reported_day = timezone.localtime(spec.reported_at).date()
        place = rng.choice(PLACES)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        description = spec.story[0] if spec.case else spec.story[0].format(place=place, name=name)
        problem = Problem(
            category=spec.category, description=description, grid_id=grid[0] if grid else None,
            area_id=grid[1] if grid else PUTUO, location=spec.location or (f"{grid[3]}{grid[2]}{place}" if grid else ""),
            channel=spec.channel, visit=spec.visit, reported_by=spec.reporter, reporter_name=spec.reporter_name,
            reporter_contact=spec.reporter_contact, reported_at=spec.reported_at,
            accept_due=self.calendar.add(reported_day, ACCEPT_WORKDAYS),
            open311_key=self.key if spec.channel == Channel.OPEN311 else None,
            tier=_weighted(rng, {Tier.GENERAL: 85, Tier.MAJOR: 12, Tier.SERIOUS: 3}),
            token=_token("problem", self.count), version=1, updated_at=spec.reported_at,
        )
        self.count += 1
        reporter_name = f"open311:{self.key.name}" if spec.channel == Channel.OPEN311 and self.key else spec.reporter_name
        events = [ProblemEvent(at=spec.reported_at, actor=spec.reporter, actor_name=reporter_name, verb="reported",
                               from_state="", to_state=State.REPORTED)]
        state, assigned, fed_back = State.REPORTED, None, 0
        for step, at in zip(path, moments, strict=True):
            note = ""
            if step == "accept":
                problem.accepted_at = at
                problem.handle_due = self.calendar.add(timezone.localtime(at).date(), HANDLE_WORKDAYS)
                if problem.grid_id is None:
                    problem.grid_id, problem.area_id = spec.triage_grid[0], spec.triage_grid[1]
                    grid = spec.grid = spec.triage_grid
            elif step == "mark_invalid":
                note = rng.choice(INVALID_REASONS)
            elif step == "dispatch":
                assigned = self.assignee(spec, assigned)
                problem.assigned_organisation, problem.assigned_team_id = assigned
            elif step == "return":
                note = rng.choice(RETURN_REASONS)
                problem.assigned_organisation = problem.assigned_team_id = None
            elif step == "request_extension":
                note = rng.choice(EXTENSION_REASONS)
                problem.extension_days = rng.choice([3, 5, 7])
            elif step == "decide_extension":
                granted = rng.random() < 0.8
                if granted:
                    base = max(problem.handle_due, timezone.localtime(at).date())
                    problem.handle_due = self.calendar.add(base, problem.extension_days)
                note = self.text("Extension granted." if granted else "Extension refused.")
                problem.extension_days = None
            elif step == "park":
                note = problem.parked_reason = rng.choice(PARK_REASONS)
            elif step == "unpark":
                problem.parked_reason = ""
            elif step == "feed_back":
                fed_back += 1
                # The first of two feedbacks is the one verification found wanting.
                rejected = fed_back == 1 and "reject_verification" in path
                problem.outcome = note = "已安排人员处理。" if rejected else spec.story[1]
            elif step == "reject_verification":
                note = rng.choice(REJECT_REASONS)
            elif step == "close":
                problem.closed_at = at
                note = rng.choice(CLOSE_NOTES)
            elif step == "refer_to_mediation":
                problem.case = spec.case
                problem.assigned_team = spec.case.team
                problem.accepted_at = problem.accepted_at or at
                note = f"{self.text('Registered as a mediation case.')} {spec.case.number}"
            target = STEPS[step][2]
            actor, actor_name = self.actor(step, spec, problem)
            events.append(ProblemEvent(at=at, actor=actor, actor_name=actor_name, verb=step, from_state=state,
                                       to_state=target, note=note))
            state = target
        if spec.case is not None and not spec.case.is_open:
            case = spec.case
            with translation.override("zh-hans"):
                outcome = f"{case.number} {case.get_status_display()}"
                if case.outcome:
                    outcome += f": {case.get_outcome_display()}"
            closed_at = max(case.closed_at or events[-1].at, events[-1].at)
            problem.outcome, problem.closed_at = outcome, closed_at
            events.append(ProblemEvent(at=closed_at, actor=None, actor_name="cases", verb="case_closed",
                                       from_state=State.REFERRED, to_state=State.CLOSED, note=outcome))
            state = State.CLOSED
        problem.state = state
        problem.version = len(events)
        problem.updated_at = events[-1].at
        return problem, events

    def actor(self, step: str, spec: _Spec, problem: Problem) -> tuple:
        """Who took `step`: the case's registrar for a referral, the centre for the dispatcher's steps,
        the unit or team the problem is with for the handler's."""
        if step == "refer_to_mediation":
            return spec.case.created_by, str(spec.case.created_by)
        if step == "accept" and spec.triage_grid is not None:
            user, name = self.users.get("putuo_staff"), ""  # the district triages what names no grid
        elif step in VERIFIER_STEPS and problem.reported_by_id is not None:
            user, name = problem.reported_by, ""  # the grid worker who found it checks on site
        elif step in DISPATCHER_STEPS or step in VERIFIER_STEPS:
            user, name = self.dispatcher(problem.area_id, problem.tier)
        elif problem.assigned_organisation_id in self.unit_accounts:
            user, name = self.unit_accounts[problem.assigned_organisation_id], ""
        elif problem.assigned_team_id == self.worker_team and self.worker_team is not None:
            user, name = self.users.get("grid_worker"), ""
        elif problem.assigned_organisation is not None:
            user, name = None, problem.assigned_organisation.name
        else:
            user, name = None, self.teams.get(problem.assigned_team_id, "")
        return user, str(user) if user is not None else name

    @staticmethod
    def text(message: str) -> str:
        """A message of the actions, in the Chinese they write it in."""
        with translation.override("zh-hans"):
            return gettext(message)

    def make_problems(self, specs: list[_Spec]) -> list[Problem]:
        self.count = 0
        built = [self.build(spec) for spec in sorted(specs, key=lambda s: s.reported_at)]
        problems = [p for p, _events in built]
        Problem.objects.bulk_create(problems, batch_size=500)
        if problems and problems[0].pk is None:
            raise RuntimeError("the database did not return ids from a bulk insert")
        events = []
        for problem, timeline in built:
            for event in timeline:
                event.problem = problem
                events.append(event)
        ProblemEvent.objects.bulk_create(events, batch_size=2000)
        return problems


def load_activity(out) -> None:
    """Ten weeks of visits and a few months of problems for the demo grids, so that the boards, the
    month-end report and the figures look like a working district: most visits made and some missed,
    problems in every state of the workflow with their timelines, today's new and cleared ones, and
    overdue ones. Deterministic for a given day, idempotent (a second run finds the first's problems
    and changes nothing) and written in bulk. Run by `yiwang demo`, not by the test fixture."""
    if not Grid.objects.in_area(PUTUO).exists():
        out("grids: no demo grids, no activity")
        return
    if Problem.objects.filter(token=_token("problem", 0)).exists():
        out(f"grids: demo activity present ({Problem.objects.count()} problems, {Visit.objects.count()} visits)")
        return
    with transaction.atomic():
        activity = _Activity(out)
        visits = activity.make_visits()
        specs = activity.plan_problems(visits) + activity.plan_referrals()
        problems = activity.make_problems(specs)
        planned = do_plan_visits(activity.today)
        states = Counter(p.state for p in problems)
        record(None, "grids.demo_activity_loaded", area_code=PUTUO, actor_name="demo", visits=len(visits),
               problems=len(problems))
    out(f"grids: {len(problems)} problems (" + ", ".join(f"{s} {n}" for s, n in sorted(states.items()))
        + f"), {planned['created']} visits planned ahead")
