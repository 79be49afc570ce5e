"""The co-building demo: the seed's figures as a live district, all marked illustrative.

`load` (deterministic): the co-building roles, five named accounts, the seed's 56 district units paired
with their streets and 336 social organisations on the registry, resources on the list, an elder
council in every town and street, and 民主法治示范村 titles.
`load_activity` (random, dated from now, never in the future): demands in every state — among them the
六横 fruit growers' after the typhoon — and 39 joint projects in every stage.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.utils import timezone

from yiwang.accounts.models import Grant, Role, User
from yiwang.areas.models import Area, Organisation, OrganisationKind
from yiwang.cobuild.creditcode import check_character, org_check_character
from yiwang.cobuild.models import (
    ApplicationState,
    CallState,
    Category,
    Claim,
    ClaimState,
    Demand,
    DemandState,
    DemocracyTitle,
    ElderCouncil,
    ElderMember,
    Membership,
    Milestone,
    Pairing,
    PairingRecord,
    Project,
    ProjectStage,
    Resource,
    ResourceKind,
    Review,
    SocialOrganisation,
    SocialStatus,
    Tranche,
    VentureApplication,
    VentureCall,
)
from yiwang.cobuild.permissions import ROLES

PUTUO, LIUHENG = "330903", "330903100"
UNITS = 56  # 56家区属单位 (the seed)
SOCIAL = 336  # 吸纳培育社会组织336个
PROJECTS = 39  # 开展公益创投项目39项
JUSTICE = "舟山市普陀区司法局"
SOCIAL_CENTRE = "普陀区社会组织服务中心"
UNIT_NAMES = [
    "舟山市普陀区农业农村局", "舟山市普陀区民政局", "舟山市普陀区住房和城乡建设局", "舟山市普陀区综合行政执法局",
    "舟山市普陀区应急管理局", "舟山市生态环境局普陀分局", "舟山市普陀区卫生健康局", "舟山市普陀区教育局",
    "舟山市普陀区文化和广电旅游体育局", "舟山市普陀区人力资源和社会保障局", "舟山市普陀区商务局",
    "舟山市普陀区市场监督管理局", "舟山市普陀区交通运输局", "舟山市普陀区科学技术局", "舟山市普陀区财政局",
    "共青团舟山市普陀区委员会", "舟山市普陀区妇女联合会", "舟山市普陀区总工会", "舟山市普陀区残疾人联合会",
    "舟山市普陀区人民医院",
]
KIND_CATEGORIES = {
    ResourceKind.VOLUNTEERS: [Category.ELDERLY, Category.DIFFICULTY, Category.PRODUCE],
    ResourceKind.VENUE: [Category.VENUE, Category.TRAINING],
    ResourceKind.FUNDS: [Category.DIFFICULTY, Category.ELDERLY],
    ResourceKind.EQUIPMENT: [Category.PRODUCE, Category.VENUE],
    ResourceKind.EXPERTISE: [Category.TRAINING, Category.LEGAL, Category.PRODUCE],
    ResourceKind.PARTY_HOURS: [Category.DIFFICULTY, Category.ELDERLY, Category.OTHER],
}
# username, display name, role, area code (None: the first village of 六横), organisation
ACCOUNTS = [
    ("liuheng_community", "六横镇社区工作者", "cobuild_community", None, None),
    ("shenjiamen_community", "新街社区工作者", "cobuild_community", "330903001001", None),
    ("liuheng_office", "六横镇共建办", "cobuild_office", LIUHENG, None),
    ("unit_liaison", "区司法局共建联络员", "cobuild_unit", PUTUO, JUSTICE),
    ("social_liaison", "社会组织服务中心联络员", "cobuild_unit", PUTUO, SOCIAL_CENTRE),
]
ELDERS = [("渔业纠纷", "退休村支书"), ("邻里家事", "退休教师"), ("土地山林", "老党员、老村长")]
FIRST_DAY = dt.date(2020, 1, 1)
LAST_DAY = dt.date(2030, 12, 31)


def sync_roles() -> None:
    for code, (name, actions) in ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"name": str(name), "actions": actions})


def first_liuheng_village() -> Area:
    return Area.objects.filter(level="village", code__startswith=LIUHENG).order_by("code").first()


def load_accounts() -> dict[str, User]:
    """The co-building roles and named accounts (the tests' cast for this app)."""
    sync_roles()
    putuo = Area.objects.get(code=PUTUO)
    for name in (JUSTICE, SOCIAL_CENTRE):
        kind = OrganisationKind.SOCIAL if name == SOCIAL_CENTRE else OrganisationKind.DISTRICT_UNIT
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "area": putuo, "illustrative": True})
    users = {}
    for username, display, role, area_code, org_name in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        area = first_liuheng_village() if area_code is None else Area.objects.get(code=area_code)
        organisation = Organisation.objects.get(name=org_name) if org_name else None
        Grant.objects.update_or_create(user=user, role_id=role, area=area, defaults={"organisation": organisation})
        users[username] = user
    return users


def _resource(organisation, kind, index, *, area_code) -> None:
    categories = KIND_CATEGORIES[kind]
    Resource.objects.update_or_create(
        organisation=organisation, title=f"{ResourceKind(kind).label}（{organisation.name[-6:]}）",
        defaults={"area_id": area_code, "kind": kind, "categories": [str(c) for c in categories],
                  "capacity": 10 + (index * 7) % 90, "available_from": FIRST_DAY, "available_until": LAST_DAY,
                  "illustrative": True},
    )


def _social_code(index: int) -> str:
    """A well-formed (not a real body's) 民政 code for demo organisation `index`: 社会团体, 民办非企业单位
    and 基金会 in turn, registered in 普陀, both check characters computed."""
    org8 = f"MJ{index:06d}"
    first17 = f"5{'123'[index % 3]}330903{org8}{org_check_character(org8)}"
    return first17 + check_character(first17)


def load(out) -> None:
    load_accounts()
    streets = list(Area.objects.filter(parent_id=PUTUO).order_by("code"))
    villages = list(Area.objects.filter(level="village", code__startswith=PUTUO).order_by("code"))
    kinds = list(ResourceKind.values)
    for index in range(UNITS):
        name = UNIT_NAMES[index] if index < len(UNIT_NAMES) else f"普陀区区属单位{index + 1:02d}（示例）"
        unit, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": OrganisationKind.DISTRICT_UNIT, "area_id": PUTUO, "illustrative": True})
        street = streets[index % len(streets)]
        _resource(unit, kinds[index % len(kinds)], index, area_code=street.code)
        Pairing.objects.update_or_create(unit=unit, area=street, defaults={
            "party_organisation": f"{street.name}“大工委”", "membership": Membership.STREET_WORKING_COMMITTEE,
            "starts_on": dt.date(2022, 1, 1), "ends_on": dt.date(2026, 12, 31), "unit_contact": "单位党委办公室",
            "area_contact": f"{street.name}党建办", "commitments": "每季度到街道开展一次共建活动；认领需求清单；党员进网格。",
            "renewals": 4, "illustrative": True})
    for index in range(SOCIAL):
        village = villages[(index * 7) % len(villages)]
        org, _ = Organisation.objects.update_or_create(
            name=f"{village.name[:6]}社会组织{index + 1:03d}（示例）",
            defaults={"kind": OrganisationKind.SOCIAL, "area": village, "illustrative": True})
        SocialOrganisation.objects.update_or_create(organisation=org, defaults={
            "area": village, "credit_code": _social_code(index), "kind": ("association", "private_non_enterprise",
                                                                        "foundation")[index % 3],
            "registration_authority": "舟山市普陀区民政局", "registered_on": dt.date(2012 + index % 12, 1 + index % 12, 1),
            "field": ("志愿服务", "养老服务", "文化体育", "法律援助", "社区治理")[index % 5],
            "party_organisation": "普陀区社会组织综合党委" if index % 2 else "",
            "incubated": index % 5 == 0, "status": SocialStatus.INCUBATING if index % 5 == 0 else SocialStatus.ACTIVE,
            "illustrative": True})
        if index % 4 == 0:  # a quarter of them offer something on the list
            _resource(org, kinds[(index // 4) % len(kinds)], index, area_code=village.code)
    for index, town in enumerate(streets):
        council, _ = ElderCouncil.objects.update_or_create(
            name=f"{town.name}乡贤{'理事会' if index % 2 == 0 else '联谊会'}",
            defaults={"area": town, "kind": "council" if index % 2 == 0 else "association", "illustrative": True})
        for number, (expertise, standing) in enumerate(ELDERS):
            ElderMember.objects.get_or_create(council=council, name=f"{town.name[:2]}乡贤{number + 1}（示例）",
                                              defaults={"expertise": expertise, "standing": standing})
    for index, village in enumerate(villages[::6]):
        DemocracyTitle.objects.update_or_create(area=village, level=("city", "provincial", "district")[index % 3],
                                                defaults={"year": 2016 + index % 8, "illustrative": True})
    out(f"cobuild: {UNITS} district units paired with their streets, {SOCIAL} social organisations, "
        f"{Resource.objects.filter(illustrative=True).count()} resources (illustrative); accounts "
        + ", ".join(a[0] for a in ACCOUNTS))


FRUIT_GROWERS = ("六横锦绣瓜果合作社：台风后水果滞销", "台风致果树倾倒，合作社和农户的水果大量滞销，"
                 "需要推销会场地、直播带货和采购对接。")


def load_activity(out) -> None:
    rng = random.Random()
    now = timezone.now()
    today = timezone.localdate()
    community = User.objects.get(username="liuheng_community")
    villages = list(Area.objects.filter(level="village", code__startswith=PUTUO).order_by("code"))
    units = list(Organisation.objects.filter(kind=OrganisationKind.DISTRICT_UNIT, illustrative=True))
    states = [DemandState.OPEN, DemandState.CLAIMED, DemandState.IN_PROGRESS, DemandState.REPORTED,
              DemandState.CLOSED]
    claim_state = {DemandState.CLAIMED: ClaimState.PENDING, DemandState.IN_PROGRESS: ClaimState.CONFIRMED,
                   DemandState.REPORTED: ClaimState.REPORTED, DemandState.CLOSED: ClaimState.CLOSED}
    demands = []
    for index in range(60):
        posted = now - dt.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23))
        state = DemandState.CLOSED if index == 0 else states[index % len(states)]  # the fruit growers: met
        title, description = FRUIT_GROWERS if index == 0 else (f"民生需求{index:02d}（示例）", "示例需求，供演示。")
        demand = Demand.objects.create(
            title=title, description=description, category=Category.PRODUCE if index == 0 else rng.choice(Category.values),
            area=villages[0] if index == 0 else rng.choice(villages), size=rng.randint(5, 80),
            needed_from=posted.date(), needed_until=posted.date() + dt.timedelta(days=rng.randint(14, 90)),
            contact_name="陈先生" if index == 0 else "社区联系人", contact_phone=f"1380580{index:04d}", state=state,
            posted_by=community, posted_at=posted, illustrative=True,
            closed_at=min(now, posted + dt.timedelta(days=20)) if state == DemandState.CLOSED else None,
        )
        if state in claim_state:
            claimed = min(now, posted + dt.timedelta(days=rng.randint(0, 5)))
            Claim.objects.create(demand=demand, organisation=rng.choice(units), state=claim_state[state],
                                 claimed_at=claimed, report="举办推销会并组织网上直播。" if index == 0 else "",
                                 reported_at=claimed if state in (DemandState.REPORTED, DemandState.CLOSED) else None)
        demands.append(demand)
    stages = [ProjectStage.PLANNED, ProjectStage.RUNNING, ProjectStage.COMPLETED, ProjectStage.EVALUATED]
    for index in range(PROJECTS):
        stage = stages[index % len(stages)]
        start = today - dt.timedelta(days={ProjectStage.PLANNED: -rng.randint(5, 60)}.get(stage, rng.randint(30, 300)))
        finished = stage in (ProjectStage.COMPLETED, ProjectStage.EVALUATED)
        score = rng.randint(55, 98) if stage == ProjectStage.EVALUATED else None
        project = Project.objects.create(
            title=f"共建项目{index + 1:02d}（示例）", area=rng.choice(villages), lead=rng.choice(units), stage=stage,
            starts_on=start, ends_on=start + dt.timedelta(days=180), illustrative=True,
            started_on=start if stage != ProjectStage.PLANNED else None,
            finished_on=min(today, start + dt.timedelta(days=180)) if finished else None,
            final_report="各阶段按期完成，服务群众。" if finished else "", evaluation_score=score,
            grade=("A" if score >= 85 else "B" if score >= 60 else "C") if score else "",
            evaluation="群众满意，资料齐全。" if score else "")
        project.demands.add(rng.choice(demands))
        for step in range(3):
            due = start + dt.timedelta(days=60 * (step + 1))
            done = due if finished or (stage == ProjectStage.RUNNING and due <= today) else None
            Milestone.objects.create(project=project, title=f"阶段{step + 1}", due=due,
                                     done_on=min(done, today) if done else None, report="按期完成。" if done else "")
    for pairing in Pairing.objects.filter(illustrative=True).order_by("pk")[:20]:
        PairingRecord.objects.get_or_create(pairing=pairing, date=today - dt.timedelta(days=rng.randint(3, 90)),
                                            defaults={"text": "到街道开展“党员进网格”共建活动（示例）。",
                                                      "hours": rng.randint(4, 40)})
    applications = _load_venture(rng, today)
    out(f"cobuild: {len(demands)} demands in every state, {PROJECTS} joint projects in every stage, "
        f"{applications} 公益创投 applications over three calls (illustrative)")


VENTURE_CRITERIA = [{"code": "need", "name": "需求契合", "points": 40}, {"code": "plan", "name": "方案可行", "points": 40},
                    {"code": "cost", "name": "预算合理", "points": 20}]
REVIEWERS = ("venture_reviewer1", "venture_reviewer2", "venture_reviewer3")


def _load_venture(rng, today) -> int:
    """Three calls of 公益创投 — two decided, one under review — with the seed's 39 projects in every stage
    (under review, funded, mid-term passed, completed and graded) and four applications not funded, each
    scored by a panel of three demo accounts (venture_reviewer1–3)."""
    from decimal import Decimal

    panel = []
    for username in REVIEWERS:
        user, created = User.objects.get_or_create(username=username, defaults={
            "display_name": f"创投评审专家{username[-1]}（示例）"})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        panel.append(user)
    socials = list(SocialOrganisation.objects.filter(illustrative=True).select_related("organisation").order_by("pk"))
    count = 0
    for offset, (state, funded) in enumerate(((CallState.DECIDED, 14), (CallState.DECIDED, 13),
                                              (CallState.REVIEWING, 12))):
        year = today.year - 2 + offset
        call, created = VentureCall.objects.get_or_create(
            title=f"{year}年普陀区公益创投（示例）", area_id=PUTUO, defaults={
                "budget": Decimal("600000"), "criteria": VENTURE_CRITERIA, "state": state, "illustrative": True,
                "opens_on": dt.date(year, 1, 1), "closes_on": dt.date(year, 2, 28)})
        call.reviewers.set(panel)
        if not created:
            continue
        reviewing = state == CallState.REVIEWING
        for number in range(funded if reviewing else funded + 2):  # two not funded in each decided call
            social = socials[(offset * 20 + number) % len(socials)]
            granted = number < funded and not reviewing
            stage = ("completed", "midterm", "funded")[number % 3] if offset == 1 else "completed"
            final = rng.randint(50, 98) if granted and stage == "completed" else None
            application = VentureApplication.objects.create(
                call=call, applicant=social, title=f"{social.field}公益项目{number + 1:02d}（示例）",
                summary="面向社区群众的公益服务项目（示例）。", amount=Decimal(20000 + 1000 * number), illustrative=True,
                state=(ApplicationState.SUBMITTED if reviewing else ApplicationState.COMPLETED if final is not None
                       else ApplicationState.FUNDED if granted else ApplicationState.NOT_FUNDED),
                midterm_report="项目按计划推进（示例）。" if granted and stage != "funded" else "",
                midterm_passed=True if granted and stage != "funded" else None,
                midterm_note="中期评估合格。" if granted and stage != "funded" else "",
                final_report="项目完成，服务对象满意（示例）。" if final is not None else "",
                final_score=final, grade=(("A" if final >= 85 else "B" if final >= 60 else "C") if final else ""),
                submitted_at=timezone.make_aware(dt.datetime(year, 2, 1, 10)))
            totals = []
            for reviewer in panel:
                low = not granted and not reviewing  # the panel scored the ones not funded lower
                scores = {"need": rng.randint(10, 22) if low else rng.randint(24, 40),
                          "plan": rng.randint(10, 22) if low else rng.randint(24, 40),
                          "cost": rng.randint(4, 10) if low else rng.randint(10, 20)}
                Review.objects.create(application=application, reviewer=reviewer, scores=scores)
                totals.append(sum(scores.values()))
            if not reviewing:
                application.review_score = Decimal(sum(totals)) / len(totals)
                application.save(update_fields=["review_score"])
            if granted:
                first = (application.amount * Decimal("0.6")).quantize(Decimal("1"))
                paid_last = stage != "funded" and (final is not None or number % 2 == 0)
                Tranche.objects.create(application=application, number=1, amount=first, paid_on=dt.date(year, 4, 1))
                Tranche.objects.create(application=application, number=2, amount=application.amount - first,
                                       paid_on=dt.date(year, 10, 1) if paid_last else None)
                count += 1
            elif reviewing:
                count += 1
    return count
