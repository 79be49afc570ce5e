"""The maritime demo. `load` is master data (deterministic, no clock): the sea areas of data/sea_areas.csv,
the maritime codes on the standard roles (accounts' demo resets roles to its defaults), the five agencies
with an officer each, and an illustrative registry of 普陀 fishing vessels. `load_activity` (random, dated
from now) registers maritime cases in every stage across the agencies, and the seed's story of the 傅
sisters (a seaman's accident settled online with his sisters in 绍兴)."""

from __future__ import annotations

import datetime as dt

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


# ----------------------------------------------------------------------------------------------- activity

KEY_PREFIX = "maritime-demo-"  # not "demo-…": that is the cases demo's own prefix
SEED = 13
# The paths a demo case takes after registration (the cases app's own actions, as the people who act).
PATHS = {
    "registered": [], "accepted": ["accept"], "assigned": ["accept", "assign"],
    "mediating": ["accept", "assign", "start", "session"],
    "agreed": ["accept", "assign", "start", "session", "agree"],
    "performing": ["accept", "assign", "start", "session", "agree", "perform"],
    "terminated": ["accept", "assign", "start", "session", "terminate"],
    "referred": ["accept", "assign", "start", "terminate", "refer"],
    "followed_up": ["accept", "assign", "start", "agree", "perform_all", "follow_up"],
    "archived": ["accept", "assign", "start", "agree", "perform_all", "follow_up", "archive"],
}
# Where the demo's disputes arise: sea areas whose handling centre has a clerk in the demo, or the district.
PLACES = [("W-SJM", "shenjiamen_clerk"), ("W-LH", "liuheng_clerk"), ("104-2", "shenjiamen_clerk"),
          ("87-5", "putuo_staff"), ("96-4", "putuo_staff"), ("W-DJ", "putuo_staff")]
STORIES = {
    "collision": ("两船在雾中作业时发生碰撞，船体及网具受损。", "赔偿船舶修理费及网具损失。"),
    "gear_damage": ("拖网作业时拖坏对方定置张网。", "赔偿网具损失及误捕损失。"),
    "injury": ("船员在起网作业中被钢丝绳击伤。", "赔偿医疗费、误工费。"),
    "crew_wages": ("船东拖欠船员一个渔汛的工资，双方未签书面合同。", "支付拖欠工资。"),
    "fishing_ground": ("两船在同一渔场放网，互指对方越界。", "划定作业区域，赔偿损失。"),
    "catch_sale": ("渔获交售后收购商未按约付款。", "支付渔获货款。"),
    "pollution": ("渔船排放含油污水，污染附近养殖区。", "赔偿养殖损失。"),
    "salvage": ("渔船失去动力，经他船拖带救助回港，双方就救助报酬有争议。", "支付救助报酬。"),
}
TASKS = {"coast_guard": "调取涉事船舶AIS轨迹及现场笔录", "msa": "出具事故调查意见", "fisheries": "核实渔船证书及作业许可",
         "maritime_court": "指导当事人海事法院网上立案", "insurer": "核定渔业互保理赔金额"}


def _step(case, step, people, court, rng, when):
    from django.utils import timezone as tz

    from yiwang.cases import actions as a

    clerk, staff, mediator = people
    if step == "accept":
        return a.do_accept(case, by=clerk if case.centre.level != "district" else staff)
    if step == "assign":
        return a.do_assign(case, by=staff if case.centre.level == "district" else clerk, mediators=[mediator])
    if step == "start":
        return a.do_start_mediation(case, by=mediator)
    if step == "session":
        a.do_record_session(case, by=mediator, record="调解员登船了解情况，组织双方面对面协商。", place="海上共享法庭（渔船上）",
                            held_at=when)
        return case
    if step == "agree":  # drafted, then signed on paper by the parties and the mediator and sealed (art. 29)
        from yiwang.cases.demo import sign_on_paper

        return sign_on_paper(a.do_record_agreement(
            case, by=mediator, facts=case.facts, matters_in_dispute="赔偿数额。", responsibilities="双方按过错分担。",
            content="被申请人于三十日内支付赔偿款。", performance_manner="银行转账", performance_place="舟山市普陀区",
            performance_deadline=tz.localdate() + dt.timedelta(days=30)), by=mediator)
    if step == "perform":
        return a.do_record_performance(case, by=mediator, note="已支付第一期款项")
    if step == "perform_all":
        return a.do_record_performance(case, by=mediator, completed=True)
    if step == "terminate":
        return a.do_terminate(case, by=mediator, reason="双方对责任划分分歧较大", routes_told="可向宁波海事法院起诉")
    if step == "refer":
        a.do_refer(case, by=staff, kind="litigation", body=court)
        return case
    if step == "follow_up":
        return a.do_follow_up(case, by=mediator, satisfaction=rng.choice([4, 5, 5]))
    if step == "archive":
        return a.do_archive(case, by=staff)
    raise ValueError(step)


def load_activity(out) -> None:
    """Maritime cases in every stage across the agencies (random, dated in the past), and the maritime
    record of the seed's story (the sisters in 绍兴, online demo) when it is there."""
    import random

    from django.utils import timezone

    from yiwang.cases.models import Case
    from yiwang.maritime import actions
    from yiwang.maritime.models import Agency, AgencyTask, IncidentKind, SeaArea, ServiceKind

    if Case.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        out("maritime: demo cases present")
        return
    users = {u.username: u for u in User.objects.filter(username__in=[
        "shenjiamen_clerk", "liuheng_clerk", "putuo_staff", "maritime_mediator", "putuo_leader"])}
    court = Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("pk").first()
    if len(users) < 5 or court is None or not SeaArea.objects.exists():
        out("maritime: demo accounts or sea areas missing, no demo cases")
        return
    rng = random.Random(SEED)
    now = timezone.now()
    vessels = list(Vessel.objects.filter(illustrative=True).order_by("name"))
    # A few vessels keep coming back: the morning page's "repeated disputes".
    regulars = vessels[:6]
    agencies = {a.kind: a for a in Agency.objects.all()}
    kinds = list(IncidentKind.values)
    made = sessions = 0
    for index, status in enumerate([s for s in PATHS for _ in range(3)]):
        kind = kinds[index % len(kinds)]
        place, clerk_name = PLACES[index % len(PLACES)]
        count = 2 if kind in ("collision", "fishing_ground") else 1
        boats = rng.sample(vessels, count) if index % 3 else [regulars[index % len(regulars)], *rng.sample(vessels, count - 1)]
        received = now - dt.timedelta(days=rng.randint(3, 240), hours=rng.randint(0, 12))
        facts, claims = STORIES[kind]
        dead = 1 if kind == "injury" and index // len(kinds) % 2 else 0  # two of the four: major, at the district
        applicant = {"kind": "person", "name": _person(index + 5000), "id_number": _id_number(index + 5000),
                     "phone": f"1385{index + 7000000:07d}"}
        case = actions.do_register_maritime_case(
            by=users[clerk_name], facts=facts, claims=claims, applicants=[applicant], incident_kind=kind,
            sea_area=place, vessels=boats, occurred_at=received - dt.timedelta(days=1), dead=dead,
            injured=1 if kind == "injury" else 0, crew_involved=rng.randint(0, 6),
            loss_amount=rng.randrange(5000, 400000, 500), insured=rng.random() < 0.6,
            lead_leader=users["putuo_leader"] if dead else None, received_at=received,
            idempotency_key=f"{KEY_PREFIX}{index}")
        people = (users[clerk_name], users["putuo_staff"], users["maritime_mediator"])
        for step in PATHS[status]:
            case = _step(case, step, people, court, rng, received + dt.timedelta(days=2))
            case.refresh_from_db()
        record = case.maritime
        for agency_kind in rng.sample(sorted(agencies), rng.randint(1, 3)):
            task = actions.do_give_task(record, by=users["putuo_staff"], agency=agencies[agency_kind],
                                        title=TASKS[agency_kind], working_days=rng.choice([3, 5, 10])) \
                if case.is_open else None
            if task is None:
                continue
            if agency_kind == "coast_guard":
                _record_track(record, task, boats[0], agencies[agency_kind], received - dt.timedelta(days=1))
            # Given when the case came in: some are done, some still open, some past their deadline.
            if rng.random() < 0.4:
                given = received + dt.timedelta(days=1)
                AgencyTask.objects.filter(pk=task.pk).update(created_at=given, due=min(
                    timezone.localtime(given).date() + dt.timedelta(days=task.working_days + 4), task.due))
            if rng.random() < 0.45:
                actions.do_complete_task(AgencyTask.objects.get(pk=task.pk), by=users["putuo_staff"],
                                         outcome="已办结，材料已移交调解员。")
        if kind in ("crew_wages", "injury", "collision") and case.is_open:
            service = actions.do_attach_service(record, by=users["maritime_mediator"], kind={
                "crew_wages": ServiceKind.WAGE_CLAIM, "injury": ServiceKind.INSURANCE_CLAIM,
                "collision": ServiceKind.COURT_FILING}[kind])
            if rng.random() < 0.5:
                actions.do_record_service_outcome(service, by=users["maritime_mediator"], status="succeeded",
                                                  outcome="已办结", amount=rng.randrange(10000, 120000, 1000))
        if status == "mediating":
            sessions += _schedule_session(case, boats[0], users["maritime_mediator"], index, now)
        made += 1
    out(f"maritime: {made} demo cases at sea, in every stage, with agency tasks and services, {sessions} sessions "
        f"scheduled by video or on board; " + _story(users))


def _record_track(record, task, boat, agency, occurred) -> None:
    """The coast guard's AIS extract on its task: two fixes of the first vessel in the hours before the
    incident, inside the sea area of the case."""
    from yiwang.maritime import actions
    from yiwang.maritime.actions.agencies import get_agency_officers

    officer = get_agency_officers(agency).first()
    area = record.sea_area
    if officer is None or area is None:
        return
    for n, hours in enumerate((3, 1)):
        lat = area.min_lat + (area.max_lat - area.min_lat) * (n + 1) / 3
        lon = area.min_lon + (area.max_lon - area.min_lon) * (2 - n) / 3
        actions.do_record_position(record, by=officer, task=task, vessel=boat, at=occurred - dt.timedelta(hours=hours),
                                   latitude=f"{lat:.5f}", longitude=f"{lon:.5f}", source="ais",
                                   note="AIS轨迹（演示）")


def _schedule_session(case, boat, mediator, index: int, now) -> int:
    """The next session of a case in mediation: on board its vessel (海上共享法庭), or by video with the
    crew still at sea, through the same action as the case page."""
    from yiwang.maritime import actions
    from yiwang.maritime.models import SessionMode

    starts = (now + dt.timedelta(days=1 + index % 3)).replace(hour=1 + index % 6, minute=30, second=0, microsecond=0)
    if index % 2:
        actions.do_schedule_sea_session(case.maritime, by=mediator, mode=SessionMode.ON_BOARD, starts_at=starts,
                                        vessel=boat, place="沈家门渔港码头", note="请船东及船员在船等候")
    else:
        actions.do_schedule_sea_session(case.maritime, by=mediator, mode=SessionMode.REMOTE, starts_at=starts,
                                        vessel=boat, link="https://meet.example.invalid/putuo-sea",
                                        at_sea=f"{boat.name}船长及船员（在渔场作业）")
    return 1


def _story(users) -> str:
    """The seed's story: a sea accident settled online with the two sisters in 绍兴 (the online demo's
    case, where they are named 陈 for the demo). Here it gains its maritime record: the two vessels, 东极
    waters, the injured father, the insurer's claim."""
    from yiwang.cases.models import Case
    from yiwang.maritime import actions
    from yiwang.maritime.models import AgencyKind, MaritimeRecord

    case = Case.objects.filter(idempotency_key="demo-online-sisters").first()
    if case is None or MaritimeRecord.objects.filter(case=case).exists():
        return "the seed's story is absent or recorded"
    putuo = Area.objects.get(code=settings.YIWANG_DISTRICT)
    boats = []
    for name, owner, id_number, phone in (("浙普渔61234", "陈阿根", "330903196203110031", "13905750001"),
                                          ("浙普渔65678", "林永康", "330903197504180014", "13857001234")):
        boat, _ = Vessel.objects.get_or_create(name=name, defaults={
            "kind": VesselKind.GILLNET if owner == "陈阿根" else VesselKind.TRAWLER, "area": putuo, "home_port": "舟山",
            "owner_name": owner, "owner_id_number": id_number, "owner_phone": phone, "illustrative": True})
        boats.append(boat)
    record = actions.do_record_maritime_details(
        case, by=users["putuo_staff"], incident_kind="injury", sea_area="W-DJ", vessels=boats, injured=1,
        loss_amount="280000", insured=True, insurance_note="申请人之父所在渔船参加渔业互保")
    from yiwang.maritime.models import Agency

    insurer = Agency.objects.filter(kind=AgencyKind.INSURER).first()
    if insurer is not None and case.is_open:
        task = actions.do_give_task(record, by=users["putuo_staff"], agency=insurer, title="核定渔业互保理赔金额",
                                    working_days=5)
        actions.do_complete_task(task, by=users["putuo_staff"], outcome="互保理赔已核定，赔付申请人医疗费部分。")
    return f"the seed's story ({case.number}) has its maritime record"
