"""What the financial desk adds to the apps below it, registered from FinanceConfig.ready(): the bank's
elements, the borrower's answers, the repayment plan and the litigation papers on the case page
(core.registry.case_panels), the desk's tile on the home page, and the borrower's own answers on their
private page (core.registry.page_panels "online.party.answer", with the party's access)."""

from dataclasses import dataclass, field

from django.utils import timezone

from yiwang.core import registry


@dataclass
class CaseFlow:
    bank_case: object
    answers: list = field(default_factory=list)
    plan: object = None
    instalments: list = field(default_factory=list)
    overdue: int = 0
    may_set_plan: bool = False
    may_pay: bool = False
    litigation: bool = False
    suggested: dict = field(default_factory=dict)


def get_case_panel(case, user, *, full_pii: bool = False):
    """The bank's 要素式 elements of a case a bank submitted, and what followed; None for any other case."""
    from yiwang.cases import actions as case_actions
    from yiwang.cases import lifecycle
    from yiwang.cases.models import ReferralKind
    from yiwang.finance.actions.repayment import check_may_report_payment
    from yiwang.finance.models import BankCase, RepaymentPlan

    bank_case = BankCase.objects.select_related("bank__organisation", "batch").filter(case=case).first()
    if bank_case is None:
        return None
    panel = CaseFlow(bank_case=bank_case, answers=list(case.borrower_answers.all()[:5]))
    plan = RepaymentPlan.objects.filter(case=case).first()
    today = timezone.localdate()
    mediator = case_actions.get_mediator_permission(user, case) is not None
    agreed = case.status in lifecycle.AGREEMENT_STATUSES
    if plan is not None:
        panel.plan = plan
        panel.instalments = [(i, i.is_overdue(today)) for i in plan.instalments.all()]
        panel.overdue = sum(1 for _i, late in panel.instalments if late)
        try:
            check_may_report_payment(plan, user)
            panel.may_pay = agreed and plan.completed_on is None
        except Exception:  # noqa: BLE001 - a refusal: no payment form for this reader
            panel.may_pay = False
    panel.may_set_plan = mediator and agreed and (plan is None or not plan.payments.exists())
    if panel.may_set_plan:
        proposal = next((a for a in panel.answers if a.kind == "proposal"), None)
        panel.suggested = {"total": proposal.total if proposal else bank_case.amount_owed,
                           "count": proposal.instalments if proposal else 6,
                           "first": proposal.first_due_on if proposal else None}
    panel.litigation = case.status == "terminated" or case.referrals.filter(kind=ReferralKind.LITIGATION).exists()
    return panel


def get_home_tile(user) -> dict | None:
    """The desk for a bank's operator (their bank's batches) or the centre (every bank); else nothing."""
    from yiwang.finance.actions import get_submitting_banks
    from yiwang.finance.models import Bank, is_centre_user

    banks = get_submitting_banks(user)
    if banks:
        return {"banks": banks, "operator": True}
    if is_centre_user(user, "masterdata.change") and Bank.objects.visible_to(user).exists():
        return {"banks": [], "operator": False}
    from yiwang.core.scope import user_can

    if getattr(user, "is_authenticated", False) and user_can(user, "case.court"):
        return {"banks": [], "operator": False, "court": True}  # the court's liaison: the 案号 in bulk
    return None


def get_borrower_panel(access, user):
    """On the borrower's private page (online's party page, already proven): propose a repayment plan or
    dispute the debt, for the respondent of a bank's open case."""
    from yiwang.finance.models import BankCase

    party = access.party
    if party.role != "respondent" or not party.case.is_open:
        return None
    bank_case = BankCase.objects.select_related("bank__organisation").filter(case_id=party.case_id).first()
    if bank_case is None:
        return None
    return {"bank_case": bank_case, "answers": list(party.case.borrower_answers.filter(party=party)[:3]),
            "today": timezone.localdate()}


def get_dashboard_panel(area, user):
    """The banks of the dashboard's area, one row each, for readers of its statistics."""
    from yiwang.finance.actions import get_bank_statistics

    figures = [f for f in get_bank_statistics(user, area_code=area.code) if f.received]
    return figures or None


def register() -> None:
    registry.case_panels.register(registry.CasePanel(
        name="finance.elements", template="finance/_case_panel.html", context=get_case_panel, slot="main",
        order=30))
    registry.home_tiles.register(registry.HomeTile(
        name="finance.desk", template="finance/home_tile.html", context=get_home_tile, order=30))
    registry.page_panels.register(registry.PagePanel(
        name="finance.borrower", page="online.party.answer", template="finance/_borrower_panel.html",
        context=get_borrower_panel, order=30))
    registry.page_panels.register(registry.PagePanel(
        name="finance.banks", page="stats.dashboard", template="finance/_dashboard_panel.html",
        context=get_dashboard_panel, order=40))
