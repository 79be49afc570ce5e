"""The financial desk's pages: a bank's desk (its batches, the upload, the template), a batch's progress
and row report, and the centre's page of each bank's API keys. Thin views over finance.actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases.models import Case, Status
from yiwang.core import audit
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_messages
from yiwang.finance import actions, reports
from yiwang.finance import rows as R
from yiwang.finance.models import ApiKey, Bank, Batch, BatchStatus, RowOutcome, is_centre_user
from yiwang.finance.views_flow import _may_route

REFRESH_SECONDS = 2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_manage(user, bank) -> bool:
    try:
        actions.check_may_manage(user, bank)
    except ActionRefused:
        return False
    return True


@login_required
def desk(request):
    """A bank's operator: their batches and the upload; the centre: every bank it sees, with its figures."""
    banks = actions.get_submitting_banks(request.user)
    visible = Bank.objects.visible_to(request.user).select_related("organisation")
    if not banks and not visible.exists():
        raise Http404
    batches = Paginator(Batch.objects.visible_to(request.user).select_related("bank__organisation"), 25)
    return render(request, "finance/desk.html", {
        "banks": banks, "visible_banks": [] if banks else list(visible), "columns": R.COLUMNS,
        "notes": R.COLUMN_NOTES, "page": batches.get_page(request.GET.get("page")),
        "manager": is_centre_user(request.user, "masterdata.change"),
        "court_numbers": actions.can_upload_court_numbers(request.user),
        "payments_upload": actions.can_upload_payments(request.user),
    })


@login_required
def template(request):
    response = HttpResponse(R.get_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bank-batch-template.xlsx"'
    return response


@login_required
@require_POST
def submit(request):
    bank = request.POST.get("bank") or None
    try:
        batch = actions.do_submit_batch(by=request.user, file=request.FILES.get("file"),
                                        bank=int(bank) if bank and bank.isdigit() else None,
                                        idempotency_key=request.POST.get("idempotency_key", ""))
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
        return redirect("finance:desk")
    return redirect("finance:batch", pk=batch.pk)


def _batch_or_404(user, pk) -> Batch:
    return get_object_or_404(Batch.objects.visible_to(user).select_related("bank__organisation"), pk=pk)


@login_required
def batch(request, pk: int):
    batch = _batch_or_404(request.user, pk)
    problems = batch.rows.exclude(outcome=RowOutcome.ACCEPTED).order_by("line")
    page = Paginator(problems, 100).get_page(request.GET.get("page"))
    running = batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING)
    stages = dict(Case.objects.filter(bank_case__batch=batch).values_list("status").annotate(n=Count("pk")))
    context = {
        "batch": batch, "page": page, "refresh": REFRESH_SECONDS if running else None,
        "flagged_rows": batch.rows.filter(outcome=RowOutcome.ACCEPTED).exclude(flags=[]).order_by("line")[:100],
        "stages": [(label, stages[value]) for value, label in Status.choices if value in stages],
    }
    if not running and _may_route(request.user, batch.bank):
        mediators = actions.get_desk_mediators(batch.bank)
        loads = actions.get_loads(mediators)
        context.update(
            desk=True, mediators=[(m, loads[m.pk]) for m in mediators],
            waiting=actions.get_waiting_cases(batch).count(), untold=actions.get_untold_borrowers(batch).count(),
            ended=stages.get(Status.TERMINATED, 0), litigation=actions.get_litigation_cases(batch).count(),
            courts=Organisation.objects.visible_to(request.user).filter(kind=OrganisationKind.COURT, active=True),
            allocations=batch.allocations.all()[:10])
    return render(request, "finance/batch.html", context)


@login_required
def batch_report(request, pk: int):
    """The row report: the bank's own rows, with 处理结果 and 错误说明 (submittable again once corrected)."""
    batch = _batch_or_404(request.user, pk)
    # The report holds the borrowers' full ID and mobile numbers: a full read of personal data, audited.
    audit.record(request.user, "finance.batch_report_read", batch, area_code=batch.bank.organisation.area_id)
    response = HttpResponse(reports.get_row_report(batch), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-report.xlsx"'
    return response


@login_required
def bank_keys(request, pk: int):
    bank = get_object_or_404(Bank.objects.visible_to(request.user).select_related("organisation"), pk=pk)
    if not _may_manage(request.user, bank):
        raise Http404
    created = None
    if request.method == "POST":
        try:
            key, raw = actions.do_create_key(bank, by=request.user, name=request.POST.get("name", ""))
            created = {"key": key, "raw": raw}
        except ActionRefused as error:
            add_refusal_to_messages(request, error)
    return render(request, "finance/keys.html", {"bank": bank, "keys": bank.api_keys.all(), "created": created})


def _key_or_404(user, pk) -> ApiKey:
    key = get_object_or_404(ApiKey.objects.filter(bank__in=Bank.objects.visible_to(user)).select_related(
        "bank__organisation"), pk=pk)
    if not _may_manage(user, key.bank):
        raise Http404
    return key


@login_required
@require_POST
def key_rotate(request, pk: int):
    key = _key_or_404(request.user, pk)
    try:
        new, raw = actions.do_rotate_key(key, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
        return redirect("finance:bank_keys", pk=key.bank_id)
    return render(request, "finance/keys.html", {"bank": key.bank, "keys": key.bank.api_keys.all(),
                                                 "created": {"key": new, "raw": raw}})


@login_required
@require_POST
def key_revoke(request, pk: int):
    key = _key_or_404(request.user, pk)
    actions.do_revoke_key(key, by=request.user)
    messages.success(request, _("Key %(prefix)s… is revoked.") % {"prefix": key.prefix})
    return redirect("finance:bank_keys", pk=key.bank_id)
