"""流转: the financial mediation committee shares a batch's cases out among its mediators at once, and
the borrowers are told by SMS with their private link.

    get_desk_mediators(bank) → [User]          the committee's mediators who may mediate the bank's cases
    get_loads(mediators) → {user pk: n}         their open cases now
    do_start_allocation(batch, *, by, mediators, min_amount=None, max_amount=None, limit=None) → Allocation
        picks the batch's cases still waiting for a mediator (registered or accepted; an amount band,
        at most `limit`), plans each for the chosen mediator with the least load, and queues the job
        `finance.allocate`; refuses (InputError) when nothing matches or a mediator cannot take the cases
    process_allocation(allocation, job=None) → Allocation
        each case through the cases app's own actions (do_accept when still registered, then do_assign
        with the desk's team), each in its own transaction; a refusal is kept on that case's item
    do_notify_borrowers(batch, *, by, base_url) → int
        every borrower of the batch's open cases not told yet: their private link (online's party access,
        online.actions.do_open_access) by SMS through the core outbox, one message per borrower

Who may: case.route under a grant not limited to an organisation that covers the bank's area (the
committee's and the centre's staff)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases import actions as case_actions
from yiwang.cases.models import OPEN_STATUSES, Assignment, Case, PartyRole, Status
from yiwang.core import audit
from yiwang.core.errors import ActionRefused, InputError, PermissionRefused
from yiwang.core.jobs import start_job
from yiwang.core.scope import user_can
from yiwang.finance.models import (
    Allocation,
    AllocationItem,
    BankCase,
    Batch,
    BatchStatus,
    Desk,
    ItemOutcome,
    is_centre_user,
)

WAITING = (Status.REGISTERED, Status.ACCEPTED)
# The SMS to a borrower (the citizens' language, like the notifications app's templates: data). Its fixed
# text stays within one 70-character segment; ${bank} is the bank's short name (≤ 30 characters).
BORROWER_SMS = "${bank}就您的欠款纠纷申请调解（案号${number}），调解免费。请打开链接查看并答复：${url}"


def check_may_route(by, bank) -> None:
    if not (is_centre_user(by, "case.route") and user_can(by, "case.route", bank.organisation.area_id)):
        raise PermissionRefused(_("Only the financial mediation committee's staff share out a bank's cases."))


def get_desk(bank) -> Desk | None:
    return Desk.objects.select_related("team", "window").filter(area_id=bank.organisation.area_id[:6]).first()


def get_desk_mediators(bank) -> list:
    """The mediators of the desk's team (the 银保调解工作室) who may mediate in the bank's area."""
    desk = get_desk(bank)
    if desk is None or desk.team is None:
        return []
    area = bank.organisation.area_id
    return [u for u in desk.team.members.filter(is_active=True).order_by("username")
            if user_can(u, "case.mediate", area)]


def get_loads(mediators) -> dict[int, int]:
    """Each mediator's open cases (assigned, not recused)."""
    counts = dict(Assignment.objects.filter(mediator__in=mediators, recused_at__isnull=True,
                                            case__status__in=OPEN_STATUSES)
                  .values_list("mediator").annotate(n=Count("id")).values_list("mediator", "n"))
    return {m.pk: counts.get(m.pk, 0) for m in mediators}


def _amount(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors[field] = [_("Give an amount in yuan.")]
        return None
    if amount < 0:
        errors[field] = [_("The amount cannot be negative.")]
    return amount


def get_waiting_cases(batch: Batch, *, min_amount=None, max_amount=None):
    """The batch's cases still waiting for a mediator, in an amount band (owed: principal, interest and
    charges), oldest first."""
    cases = BankCase.objects.filter(batch=batch, case__status__in=WAITING).annotate(
        owed=F("outstanding_principal") + F("interest") + F("penalty"))
    if min_amount is not None:
        cases = cases.filter(owed__gte=min_amount)
    if max_amount is not None:
        cases = cases.filter(owed__lte=max_amount)
    return cases.order_by("case_id")


def do_start_allocation(batch: Batch, *, by, mediators, min_amount=None, max_amount=None,
                        limit=None) -> Allocation:
    """Plan and queue the bulk assignment of `batch`'s waiting cases to `mediators` (by load)."""
    bank = batch.bank
    check_may_route(by, bank)
    errors: dict = {}
    low, high = _amount(min_amount, "min_amount", errors), _amount(max_amount, "max_amount", errors)
    if low is not None and high is not None and low > high:
        errors["max_amount"] = [_("The upper bound is below the lower one.")]
    if limit not in (None, ""):
        try:
            limit = int(limit)
            if limit < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors["limit"] = [_("Give a whole number of cases, at least 1.")]
    else:
        limit = None
    allowed = {m.pk: m for m in get_desk_mediators(bank)}
    chosen = [allowed.get(getattr(m, "pk", m)) for m in (mediators or [])]
    if not chosen:
        errors["mediators"] = [_("Choose at least one mediator.")]
    elif None in chosen:
        errors["mediators"] = [_("Choose mediators of the financial mediation committee.")]
    if errors:
        raise InputError(errors)
    chosen = list(dict.fromkeys(chosen))
    case_ids = list(get_waiting_cases(batch, min_amount=low, max_amount=high).values_list("case_id", flat=True))
    if limit is not None:
        case_ids = case_ids[:limit]
    if not case_ids:
        raise InputError({"mediators": _("No case of this batch is waiting for a mediator in that band.")})
    loads = get_loads(chosen)
    with transaction.atomic():
        allocation = Allocation.objects.create(
            bank=bank, batch=batch, started_by=by, started_at=timezone.now(), total=len(case_ids),
            criteria={"mediators": [m.pk for m in chosen], "min_amount": str(low or ""),
                      "max_amount": str(high or ""), "limit": limit})
        items = []
        for case_id in case_ids:  # the least loaded first, ties by the order chosen
            mediator = min(chosen, key=lambda m: loads[m.pk])
            loads[mediator.pk] += 1
            items.append(AllocationItem(allocation=allocation, case_id=case_id, mediator=mediator))
        AllocationItem.objects.bulk_create(items)
        allocation.job = start_job("finance.allocate", by=by, target=allocation, area_code=bank.organisation.area_id,
                                   params={"allocation": allocation.pk})
        allocation.save(update_fields=["job"])
        audit.record(by, "finance.allocation_started", allocation, area_code=bank.organisation.area_id,
                     batch=batch.pk, cases=len(case_ids), mediators=[m.pk for m in chosen])
    return allocation


def _assign_one(item: AllocationItem, *, by, team) -> None:
    with transaction.atomic():
        case = Case.objects.get(pk=item.case_id)
        if case.status == Status.REGISTERED:
            case = case_actions.do_accept(case, by=by, note=_("Accepted for bulk assignment by the financial "
                                                              "mediation committee."))
        case_actions.do_assign(case, by=by, mediators=[item.mediator], team=team,
                               reason=_("Bulk assignment #%(pk)s") % {"pk": item.allocation_id})


def process_allocation(allocation: Allocation, job=None) -> Allocation:
    """Assign every planned case, one transaction each; a refusal (the case moved on meanwhile, the
    mediator was recused…) is recorded on its item and the rest go on."""
    # A rerun of the job (its worker died: core.jobs) resumes: only the items still pending are assigned.
    claimable = [BatchStatus.QUEUED, BatchStatus.RUNNING] if job is not None and job.attempt > 1 else [BatchStatus.QUEUED]
    if Allocation.objects.filter(pk=allocation.pk, status__in=claimable).update(status=BatchStatus.RUNNING) != 1:
        return allocation
    allocation.refresh_from_db()
    by = allocation.started_by
    desk = get_desk(allocation.bank)
    team = desk.team if desk else None
    items = list(allocation.items.filter(outcome=ItemOutcome.PENDING).select_related("mediator"))
    for item in items:
        try:
            _assign_one(item, by=by, team=team)
        except ActionRefused as error:
            item.outcome, item.message = ItemOutcome.REFUSED, " ".join(str(m) for m in error.messages)[:1000]
            allocation.failed += 1
        else:
            item.outcome = ItemOutcome.DONE
            allocation.assigned += 1
        item.save(update_fields=["outcome", "message"])
        allocation.done += 1
        allocation.save(update_fields=["done", "assigned", "failed"])
        if job is not None:
            job.progress(allocation.done, allocation.total)
    allocation.status, allocation.finished_at = BatchStatus.DONE, timezone.now()
    allocation.save(update_fields=["status", "finished_at"])
    audit.record(by, "finance.allocation_processed", allocation, area_code=allocation.bank.organisation.area_id,
                 assigned=allocation.assigned, refused=allocation.failed)
    return allocation


# ----------------------------------------------------------------------------------------------- borrowers


def get_untold_borrowers(batch: Batch):
    """The borrowers (respondents with a mobile) of the batch's open cases who have no private link yet."""
    from yiwang.cases.models import Party

    return (Party.objects.filter(case__bank_case__batch=batch, role=PartyRole.RESPONDENT, case__status__in=OPEN_STATUSES)
            .exclude(phone="").filter(Q(online_access__isnull=True)).select_related("case__centre")
            .order_by("case_id", "pk"))


def render_borrower_sms(bank, case, url: str) -> str:
    return (BORROWER_SMS.replace("${bank}", bank.short_name[:30]).replace("${number}", case.number)
            .replace("${url}", url))


def do_notify_borrowers(batch: Batch, *, by, base_url: str) -> int:
    """Text each borrower of the batch not yet told their private link; returns how many were told. A
    borrower is told once: one with a link already is left alone (staff re-send a link on the case)."""
    from yiwang.online import actions as online_actions
    from yiwang.online.notify import notify_party

    bank = batch.bank
    check_may_route(by, bank)
    told = 0
    with transaction.atomic():
        for party in get_untold_borrowers(batch):
            access, token = online_actions.do_open_access(party, by=by)
            text = render_borrower_sms(bank, party.case, online_actions.get_access_url(token, base_url))
            notify_party(party, text, key=f"finance.borrower_told:{access.pk}", secret=True)
            told += 1
        audit.record(by, "finance.borrowers_told", batch, area_code=bank.organisation.area_id, told=told)
    return told
