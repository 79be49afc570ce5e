"""The borrower's answers beyond accept/decline, and the repayment plan of an agreement with its payments.

    do_answer_as_borrower(access, *, kind, instalments=None, amount=None, first_due_on=None, note="")
        → BorrowerAnswer   on their private link (online's party access, proven by the code sent to the
        mobile on the case): a repayment proposal (which also accepts mediation, through online's own
        do_answer_invitation) or a dispute of the debt; the case's mediators are told
    make_instalments(total, count, first_due_on) → [(amount, due_on)]   equal monthly instalments
    do_set_plan(case, *, by, instalments) → RepaymentPlan   the mediator, once an agreement is recorded
    do_record_payment(plan, *, by, amount, paid_on, reference="") → Payment   the bank (its operator or
        key: case.intake on its own case), the committee's staff or the mediator; fills the instalments
        in order, and the case's performance follows (cases' do_record_performance: performing, then performed in full)
    get_overdue_instalments(user, today=None)   the instalments past due and not paid, of visible cases
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.accounts.models import Grant, Role, User
from yiwang.cases import actions as case_actions
from yiwang.cases import lifecycle
from yiwang.cases.models import Case, PartyRole
from yiwang.core import audit
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.core.notices import Notice, announce
from yiwang.finance.models import AnswerKind, BankCase, BorrowerAnswer, Instalment, Payment, RepaymentPlan

MAX_INSTALMENTS = 60
LEDGER_ROLE = "finance_ledger"


def parse_money(value, field: str, errors: dict, *, positive: bool = True) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, TypeError):
        errors[field] = [_("Give an amount in yuan.")]
        return None
    if amount != amount.quantize(Decimal("0.01")):
        errors[field] = [_("At most 2 decimals.")]
    elif amount <= 0 if positive else amount < 0:
        errors[field] = [_("The amount must be above zero.")]
    return amount


def parse_date(value, field: str, errors: dict) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        errors[field] = [_("Give a date as YYYY-MM-DD.")]
        return None


def _mediators(case):
    return tuple(a.mediator for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator"))


# ----------------------------------------------------------------------------------------------- borrower


def do_answer_as_borrower(access, *, kind: str, instalments=None, amount=None, first_due_on=None,
                          note: str = "") -> BorrowerAnswer:
    """The borrower's proposal or dispute, from their private link."""
    from yiwang.online import actions as online_actions

    party, case = access.party, access.party.case
    if party.role != PartyRole.RESPONDENT or not BankCase.objects.filter(case=case).exists():
        raise PermissionRefused(_("Only the borrower of a bank's case answers here."))
    if not case.is_open:
        raise InputError({"kind": _("This case is closed.")})
    errors: dict = {}
    note = (note or "").strip()[:1000]
    if kind == AnswerKind.PROPOSAL:
        try:
            instalments = int(instalments)
            if not 1 <= instalments <= MAX_INSTALMENTS:
                raise ValueError
        except (TypeError, ValueError):
            errors["instalments"] = [_("Between 1 and %(n)s monthly instalments.") % {"n": MAX_INSTALMENTS}]
        amount = parse_money(amount, "amount", errors)
        first_due_on = parse_date(first_due_on, "first_due_on", errors)
        if first_due_on and first_due_on < timezone.localdate():
            errors["first_due_on"] = [_("The first payment cannot be in the past.")]
    elif kind == AnswerKind.DISPUTE:
        instalments = amount = first_due_on = None
        if not note:
            errors["note"] = [_("Say what you dispute about the debt.")]
    else:
        errors["kind"] = [_("Choose an answer.")]
    if errors:
        raise InputError(errors)
    with transaction.atomic():
        if kind == AnswerKind.PROPOSAL and not access.consent and case.status in online_actions.ANSWERABLE_STATUSES:
            online_actions.do_answer_invitation(access, accept=True)  # proposing a plan is taking part
        answer = BorrowerAnswer.objects.create(case=case, party=party, kind=kind, instalments=instalments,
                                               amount=amount, first_due_on=first_due_on, note=note,
                                               at=timezone.now())
        audit.record(None, "finance.borrower_answered", answer, area_code=case.area_id, actor_name=party.name,
                     kind=kind)
        recipients = _mediators(case) or ((case.owner,) if case.owner_id else ())
        text = (_("Borrower %(name)s proposes %(n)s instalments of %(amount)s yuan (case %(number)s).")
                % {"name": party.name, "n": instalments, "amount": amount, "number": case.number}
                if kind == AnswerKind.PROPOSAL else
                _("Borrower %(name)s disputes the debt (case %(number)s).") % {"name": party.name,
                                                                               "number": case.number})
        if recipients:
            announce(Notice(kind="finance.borrower_answered", text=text, key=f"finance.borrower_answered:{answer.pk}",
                            recipients=recipients, url=f"/cases/{case.pk}/", about=case))
    return answer


# ----------------------------------------------------------------------------------------------- the plan


def make_instalments(total, count: int, first_due_on: dt.date) -> list[tuple[Decimal, dt.date]]:
    """`count` monthly instalments summing to `total` (the last takes the cents left over), the n-th due
    on the same day of the month as the first (or the month's last day)."""
    import calendar

    total = Decimal(total)
    each = (total / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    rows = []
    for n in range(count):
        month = first_due_on.month - 1 + n
        year, month = first_due_on.year + month // 12, month % 12 + 1
        day = min(first_due_on.day, calendar.monthrange(year, month)[1])
        rows.append((each if n < count - 1 else total - each * (count - 1), dt.date(year, month, day)))
    return rows


def _check_mediator(case: Case, by) -> None:
    if case_actions.get_mediator_permission(by, case) is None:
        raise PermissionRefused(_("Only a mediator assigned to case %(number)s may do this.") % {"number": case.number})


@transaction.atomic
def do_set_plan(case: Case, *, by, instalments) -> RepaymentPlan:
    """The instalments of the agreement (amount, due date each), set by the case's mediator once the
    agreement is recorded. A plan with a payment recorded cannot be replaced."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_mediator(case, by)
    if not BankCase.objects.filter(case=case).exists():
        raise InputError({"instalments": _("Repayment plans are for the banks' cases.")})
    if case.status not in lifecycle.AGREEMENT_STATUSES:
        raise InputError({"instalments": _("Record the mediation agreement first.")})
    errors: dict = {}
    rows = []
    for index, row in enumerate(instalments or [], start=1):
        amount, due_on = (row["amount"], row["due_on"]) if isinstance(row, dict) else row
        amount = parse_money(amount, f"instalments[{index}].amount", errors)
        due_on = parse_date(due_on, f"instalments[{index}].due_on", errors)
        rows.append((amount, due_on))
    if not rows:
        errors["instalments"] = [_("Give at least one instalment.")]
    elif len(rows) > MAX_INSTALMENTS:
        errors["instalments"] = [_("At most %(n)s instalments.") % {"n": MAX_INSTALMENTS}]
    elif not errors and [d for _a, d in rows] != sorted(d for _a, d in rows):
        errors["instalments"] = [_("List the instalments in the order they fall due.")]
    if errors:
        raise InputError(errors)
    existing = RepaymentPlan.objects.filter(case=case).first()
    if existing is not None:
        if existing.payments.exists():
            raise InputError({"instalments": _("Payments are recorded against this plan: it can no longer be "
                                               "replaced.")})
        existing.delete()
    plan = RepaymentPlan.objects.create(case=case, created_by=by, created_at=timezone.now(),
                                        total=sum(a for a, _d in rows))
    Instalment.objects.bulk_create([Instalment(plan=plan, number=n, amount=a, due_on=d)
                                    for n, (a, d) in enumerate(rows, start=1)])
    audit.record(by, "finance.plan_set", plan, area_code=case.area_id, case=case.pk, instalments=len(rows),
                 total=str(plan.total))
    return plan


def get_ledger_user(case: Case) -> User:
    """The account under which a payment the bank reports is recorded on the case's performance: not a
    person, cannot sign in; its grant (the district, role finance_ledger: case.view, case.supervise) is
    used only by do_record_payment, after the bank's own right to report on its case was checked."""
    role, _created = Role.objects.get_or_create(
        code=LEDGER_ROLE, defaults={"name": "金融纠纷还款台账", "actions": ["case.view", "case.supervise"]})
    user, created = User.objects.get_or_create(username="finance_ledger",
                                               defaults={"display_name": "金融纠纷调解委员会·还款台账"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    district = case.area_id[:6]
    Grant.objects.get_or_create(user=user, role=role, area_id=district)
    return user


def check_may_report_payment(plan: RepaymentPlan, by) -> str:
    """'bank' for the bank's own operator or key (case.intake on the case it submitted), 'mediator' for
    the case's mediator, 'committee' for the committee's staff who share out the bank's cases (reporting
    what the bank sent them, e.g. its file of payments); else PermissionRefused."""
    from yiwang.finance.actions.allocation import check_may_route

    case = plan.case
    if case_actions.get_mediator_permission(by, case) is not None:
        return "mediator"
    if case_actions.check_case_party(case, by, "case.intake") and BankCase.objects.filter(
            case=case, bank__organisation_id__in=[g.organisation_id for g in _org_grants(by)]).exists():
        return "bank"
    bank_case = BankCase.objects.select_related("bank__organisation").filter(case=case).first()
    if bank_case is not None:
        try:
            check_may_route(by, bank_case.bank)
        except PermissionRefused:
            pass
        else:
            return "committee"
    raise PermissionRefused(_("Only the bank or the mediator records payments on case %(number)s.")
                            % {"number": case.number})


def _org_grants(user):
    from yiwang.core.scope import get_grants

    return [g for g in get_grants(user) if g.organisation_id]


def do_record_payment(plan: RepaymentPlan, *, by, amount, paid_on, reference: str = "") -> Payment:
    """Record a payment and fill the instalments in order; the case's performance follows. The same
    reference again returns the first payment and changes nothing."""
    reference = (reference or "").strip()[:60]
    errors: dict = {}
    amount = parse_money(amount, "amount", errors)
    paid_on = parse_date(paid_on, "paid_on", errors)
    if paid_on and paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise InputError(errors)
    if reference:
        existing = Payment.objects.filter(plan=plan, reference=reference).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _record_payment(plan, by=by, amount=amount, paid_on=paid_on, reference=reference)
    except IntegrityError:
        existing = Payment.objects.filter(plan=plan, reference=reference).first() if reference else None
        if existing is None:
            raise
        return existing


def _record_payment(plan, *, by, amount, paid_on, reference) -> Payment:
    plan = RepaymentPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    who = check_may_report_payment(plan, by)
    if amount > plan.outstanding:
        raise InputError({"amount": _("Only %(left)s yuan is still owed under the plan.") % {"left": plan.outstanding}})
    case = plan.case
    if case.status not in lifecycle.AGREEMENT_STATUSES:
        raise InputError({"amount": _("The case is no longer performing its agreement.")})
    payment = Payment.objects.create(plan=plan, amount=amount, paid_on=paid_on, reference=reference, recorded_by=by,
                                     recorded_at=timezone.now())
    left = amount
    for instalment in plan.instalments.select_for_update().filter(paid__lt=F("amount")).order_by("number"):
        take = min(left, instalment.amount - instalment.paid)
        instalment.paid += take
        if instalment.paid == instalment.amount:
            instalment.paid_on = paid_on
        instalment.save(update_fields=["paid", "paid_on"])
        left -= take
        if not left:
            break
    plan.paid += amount
    completed = plan.paid == plan.total
    if completed:
        plan.completed_on = paid_on
    plan.save(update_fields=["paid", "completed_on"])
    actor = by if who == "mediator" else get_ledger_user(case)
    source = {"mediator": _("the mediator"), "committee": _("the committee's staff")}.get(who, _("the bank"))
    note = _("%(amount)s yuan paid on %(date)s, reported by %(source)s (%(paid)s of %(total)s).") % {
        "amount": amount, "date": paid_on.isoformat(), "source": source, "paid": plan.paid, "total": plan.total}
    case_actions.do_record_performance(Case.objects.get(pk=case.pk), by=actor, note=note, completed=completed)
    audit.record(by, "finance.payment_recorded", payment, area_code=case.area_id, case=case.pk, amount=str(amount),
                 reference=reference, source=who)
    return payment


def get_overdue_instalments(user, today=None):
    """Instalments past their due date and not paid in full, of the bank cases `user` sees."""
    today = today or timezone.localdate()
    visible = Case.objects.visible_to(user).values("pk")
    return (Instalment.objects.filter(plan__case__in=visible, due_on__lt=today, plan__completed_on__isnull=True)
            .exclude(paid=F("amount")).select_related("plan__case").order_by("due_on", "plan_id"))
