"""The financial desk's demo: the district's banks (real names of the kinds of institution present in
普陀区; branches, credit codes and accounts illustrative), an operator for each, the desk's routing
(the district centre's 金融纠纷窗口 and the 银保调解工作室 of the financial mediation committee), and as
activity a processed batch per bank with cases at several stages."""

from __future__ import annotations

import random

from django.conf import settings

from yiwang.accounts.models import Grant, Role, User
from yiwang.areas.models import (
    Area,
    Centre,
    DisputeType,
    Organisation,
    OrganisationKind,
    Team,
    TeamKind,
    Window,
)
from yiwang.cases.demo import sign_on_paper
from yiwang.cases.models import Case
from yiwang.cases.validators import credit_code_check_character, id_check_character
from yiwang.finance.models import Allocation, Bank, BankBranch, Desk, InstitutionKind

PUTUO = "330903"
# name, short name, kind, operator username ("bank_operator" is the cast's, of the rural commercial bank)
BANKS = [
    ("中国工商银行舟山普陀支行", "工商银行", InstitutionKind.STATE, "icbc_operator"),
    ("中国农业银行舟山普陀支行", "农业银行", InstitutionKind.STATE, "abc_operator"),
    ("中国银行舟山普陀支行", "中国银行", InstitutionKind.STATE, "boc_operator"),
    ("中国建设银行舟山普陀支行", "建设银行", InstitutionKind.STATE, "ccb_operator"),
    ("交通银行舟山普陀支行", "交通银行", InstitutionKind.STATE, "bocom_operator"),
    ("中国邮政储蓄银行舟山市普陀区支行", "邮储银行", InstitutionKind.POSTAL, "psbc_operator"),
    ("浙江普陀农村商业银行", "普陀农商银行", InstitutionKind.RURAL, "bank_operator"),
    ("浙江泰隆商业银行舟山普陀支行", "泰隆银行", InstitutionKind.CITY, "tailong_operator"),
    ("浙商银行舟山普陀支行", "浙商银行", InstitutionKind.JOINT_STOCK, "czb_operator"),
    ("杭银消费金融股份有限公司", "杭银消金", InstitutionKind.CONSUMER_FINANCE, "hbcf_operator"),
]
BRANCH_TOWNS = ["沈家门", "六横"]
COMMITTEE = "普陀区金融纠纷人民调解委员会"
TEAM = "银保调解工作室"
COMMITTEE_MEDIATOR = "finance_mediator"


def credit_code(index: int) -> str:
    """An illustrative unified social credit code with a valid GB 32100 check character."""
    first17 = f"91330903MA2{index:06d}"
    return first17 + credit_code_check_character(first17)


def load(out) -> None:
    putuo = Area.objects.get(code=PUTUO)
    operator_role = Role.objects.get(code="bank_operator")
    for index, (name, short, kind, username) in enumerate(BANKS, start=1):
        organisation, _ = Organisation.objects.update_or_create(
            name=name, defaults={"kind": OrganisationKind.BANK, "area": putuo, "illustrative": True,
                                 "credit_code": credit_code(index)})
        bank, _ = Bank.objects.update_or_create(organisation=organisation, defaults={"kind": kind, "short_name": short})
        for town in BRANCH_TOWNS:
            branch, _ = Organisation.objects.update_or_create(
                name=f"{short}{town}网点", defaults={"kind": OrganisationKind.BANK, "area": putuo, "illustrative": True})
            BankBranch.objects.update_or_create(organisation=branch, defaults={"bank": bank})
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": f"{short}经办员"})
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Grant.objects.update_or_create(user=user, role=operator_role, area=putuo,
                                       defaults={"organisation": organisation, "centre": None})
    district = Centre.objects.get(code="PT")
    window = Window.objects.filter(centre=district, dispute_types__code="financial").order_by("number").first()
    committee, _ = Organisation.objects.update_or_create(
        name=COMMITTEE, defaults={"kind": OrganisationKind.MEDIATION_COMMITTEE, "area": putuo, "illustrative": True})
    team, _ = Team.objects.update_or_create(
        name=TEAM, defaults={"kind": TeamKind.MEDIATION, "area": putuo, "centre": district})
    team.dispute_types.set(DisputeType.objects.filter(code="financial"))
    team.members.add(*User.objects.filter(username="mediator_wang"))
    # The committee's own mediator, so that its work can be shared out between two.
    mediator, created = User.objects.get_or_create(username=COMMITTEE_MEDIATOR, defaults={"display_name": "陈调解员（金融）"})
    if created:
        mediator.set_password(settings.DEMO_PASSWORD)
        mediator.save(update_fields=["password"])
    Grant.objects.update_or_create(user=mediator, role=Role.objects.get(code="mediator"), area=putuo,
                                   defaults={"organisation": None, "centre": Centre.objects.get(code="PT")})
    team.members.add(mediator)
    if window is not None:
        Desk.objects.update_or_create(area=putuo, defaults={"window": window, "team": team, "committee": committee})
    out(f"finance: {Bank.objects.count()} banks, {BankBranch.objects.count()} branches, the desk at {window}")


# ----------------------------------------------------------------------------------------------- activity

SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _id_number(rng) -> str:
    first17 = f"330903{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return first17 + id_check_character(first17)


def sample_rows(rng, count: int, *, prefix: str, bad_every: int = 0) -> list[dict]:
    """Rows in the template's headers, every `bad_every`-th one with a broken cell (the demo and the bench)."""
    rows = []
    for n in range(1, count + 1):
        loan = rng.random() < 0.4
        principal = rng.randint(5, 300) * 1000
        owed = round(principal * rng.uniform(0.2, 1.0), 2)
        row = {
            "银行业务编号": f"{prefix}-{n:06d}", "纠纷类型": "金融借款合同纠纷" if loan else "信用卡纠纷",
            "借款人姓名": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "借款人身份证号码": _id_number(rng), "借款人手机号码": f"139{rng.randint(10000000, 99999999)}",
            "借款人住址": "舟山市普陀区沈家门街道", "区划代码": "", "合同编号": f"HT{n:08d}",
            "借款本金": f"{principal}.00" if loan else "", "欠款本金": f"{owed:.2f}",
            "欠款利息": f"{owed * 0.08:.2f}", "违约金及其他费用": f"{owed * 0.02:.2f}",
            "逾期起始日期": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "年利率": str(rng.choice([4.35, 6.5, 12, 18, 24, 36])), "担保方式": rng.choice(["无", "保证", "抵押"]),
            "诉求": "请求被申请人偿还欠款本金、利息及违约金",
        }
        if bad_every and n % bad_every == 0:
            row["借款人身份证号码"] = row["借款人身份证号码"][:17] + ("0" if row["借款人身份证号码"][17] != "0" else "1")
        rows.append(row)
    return rows


BATCHES = [(22, 9), (12, 38), (12, 67)]  # rows and days ago, the cast's bank first


def _backdate(batch, days: int) -> None:
    """Move a just-processed batch and its cases (registered, nothing done yet) `days` back, within the
    year (a case's number carries its year). The audit log, append-only, keeps the moment it was loaded."""
    import datetime as dt

    from django.utils import timezone

    from yiwang.cases.models import CaseEvent

    days = min(days, timezone.localdate().timetuple().tm_yday - 1)
    if days <= 0:
        return
    delta = dt.timedelta(days=days)
    cases = list(Case.objects.filter(bank_case__batch=batch))
    for case in cases:
        case.received_at -= delta
        case.deadline -= delta
    Case.objects.bulk_update(cases, ["received_at", "deadline"])
    events = list(CaseEvent.objects.filter(case__in=cases))
    for event in events:
        event.at -= delta
    CaseEvent.objects.bulk_update(events, ["at"])
    batch.submitted_at -= delta
    batch.finished_at -= delta
    batch.save(update_fields=["submitted_at", "finished_at"])


def load_activity(out) -> None:
    """A processed batch for three banks (a few bad rows each); the first bank's shared out by the
    committee in one bulk assignment and its borrowers texted their links; then its cases walked through
    the cases app's actions to every later stage: mediating, agreed with a repayment plan (one paid in
    full and followed up, one with an instalment overdue), ended and referred to the court with its 案号
    back, a borrower's proposal. The desk as it looks mid-month."""
    import datetime as dt

    from django.utils import timezone

    from yiwang.cases import actions as case_actions
    from yiwang.finance import actions
    from yiwang.finance.models import Batch, BatchStatus

    rng = random.Random(12)
    staff = User.objects.get(username="putuo_staff")
    liaison = User.objects.filter(username="court_liaison").first()
    court = Organisation.objects.filter(kind=OrganisationKind.COURT, name="舟山市普陀区人民法院").first()
    batches = []
    banks = list(Bank.objects.select_related("organisation").order_by("pk"))
    # The cast's bank (bank_operator's, the rural commercial bank) first: its desk is the one shown.
    banks.sort(key=lambda b: b.organisation.name != "浙江普陀农村商业银行")
    # The cast's bank's batch came in this month; the other two some weeks ago, so that no month's
    # figures are one batch (their cases wait to be accepted, as a desk's backlog does).
    for bank, (rows, days_ago) in zip(banks, BATCHES, strict=False):
        operator = actions.get_service_user(bank)
        # Loaded once: a second run finds the batch (resubmitting new random rows under the same key would
        # rightly be refused as a different request).
        batch = Batch.objects.filter(bank=bank, submitted_by=operator, idempotency_key="demo").first() or \
            actions.do_submit_batch(by=operator, bank=bank, idempotency_key="demo",
                                    rows=sample_rows(rng, rows, prefix=f"DEMO{bank.pk}", bad_every=9))
        if batch.status == BatchStatus.QUEUED:  # a first run
            actions.process_batch(Batch.objects.get(pk=batch.pk))
            _backdate(Batch.objects.get(pk=batch.pk), days_ago)
        batches.append(Batch.objects.get(pk=batch.pk))
    first = batches[0]
    mediators = actions.get_desk_mediators(first.bank)
    if not mediators or first.allocations.exists():
        out(f"finance: {Batch.objects.count()} batches processed")
        return
    allocation = actions.do_start_allocation(first, by=staff, mediators=mediators, limit=24)
    actions.process_allocation(Allocation.objects.get(pk=allocation.pk))
    actions.do_notify_borrowers(first, by=staff, base_url=settings.NOTIFICATIONS_SITE_URL.rstrip("/"))
    today = timezone.localdate()
    cases = [item.case for item in allocation.items.filter(outcome="done").select_related("case").order_by("id")]

    def mediator_of(case):
        return case.assignments.filter(recused_at__isnull=True).first().mediator

    def agree(case, *, months: int, start: dt.date):
        case = case_actions.do_start_mediation(case, by=mediator_of(case))
        owed = case.bank_case.amount_owed
        case = case_actions.do_record_agreement(
            case, by=mediator_of(case), facts=case.facts, matters_in_dispute="欠款本金、利息及违约金的偿还方式",
            responsibilities="借款人未按约还款，应承担还款责任；银行同意减免部分违约金。",
            content=f"借款人分{months}期偿还欠款{owed}元，银行减免剩余违约金。", performance_manner="银行转账",
            performance_place="舟山市普陀区", performance_deadline=max(start + dt.timedelta(days=31 * months), today))
        case = sign_on_paper(case, by=mediator_of(case))  # the parties and the mediator sign, the seal goes on
        return actions.do_set_plan(case, by=mediator_of(case),
                                   instalments=actions.make_instalments(owed, months, start))

    for index, case in enumerate(cases[:16]):
        stage = index % 8
        if stage == 0:  # mediating
            case_actions.do_start_mediation(case, by=mediator_of(case))
        elif stage == 1:  # agreed, paid in full, followed up
            plan = agree(case, months=2, start=today - dt.timedelta(days=70))
            actions.do_record_payment(plan, by=mediator_of(case), amount=plan.total, paid_on=today - dt.timedelta(days=5))
            case_actions.do_follow_up(Case.objects.get(pk=case.pk), by=mediator_of(case), satisfaction=5,
                                      note="借款人已按计划还清。")
        elif stage == 2:  # agreed, one instalment paid, the next overdue
            plan = agree(case, months=6, start=today - dt.timedelta(days=45))
            first_instalment = plan.instalments.order_by("number").first()
            actions.do_record_payment(plan, by=actions.get_service_user(first.bank), amount=first_instalment.amount,
                                      paid_on=first_instalment.due_on, reference=f"DEMO-TX-{case.pk}")
        elif stage == 3 and court is not None:  # ended, referred to the court, its 案号 back
            case = case_actions.do_start_mediation(case, by=mediator_of(case))
            case = case_actions.do_terminate(case, by=mediator_of(case), reason="借款人拒绝还款方案，调解未成",
                                             routes_told="可向舟山市普陀区人民法院起诉")
            case_actions.do_refer(case, by=staff, kind="litigation", body=court, note="批量移送")
            if liaison is not None:
                case_actions.do_record_referral_result(Case.objects.get(pk=case.pk), by=liaison,
                                                       external_number=f"（{today.year}）浙0903民初{3100 + index}号")
        elif stage == 4:  # ended without agreement: waiting to be referred
            case = case_actions.do_start_mediation(case, by=mediator_of(case))
            case_actions.do_terminate(case, by=mediator_of(case), reason="借款人失联，调解未成",
                                      routes_told="可向舟山市普陀区人民法院起诉")
    out(f"finance: {Batch.objects.count()} batches processed, bulk assignment #{allocation.pk}, "
        f"cases in every stage")
