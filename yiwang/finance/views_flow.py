"""The desk's pages after intake, thin views over finance.actions (and the cases app's own actions where
the step is the case's: the follow-up visit): a bulk assignment and its progress, telling the borrowers,
the borrower's answer from their private link, the repayment plan and payments, the litigation papers and
the filing package, the court's 案号 back in bulk, per-bank statistics and the follow-ups due."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, FollowUp
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_messages
from yiwang.finance.models import Allocation, Bank, BankCase, Batch, RepaymentPlan


def _may_route(user, bank) -> bool:
    from yiwang.finance.actions import check_may_route

    try:
        check_may_route(user, bank)
    except ActionRefused:
        return False
    return True


def _attempt(request, action, *args, success: str = "", **kwargs):
    """Take `action`; a refusal is said at the top of the next page, and so is `success`."""
    try:
        result = action(*args, **kwargs)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def _batch_or_404(user, pk) -> Batch:
    return get_object_or_404(Batch.objects.visible_to(user).select_related("bank__organisation"), pk=pk)


def _routed_batch_or_404(user, pk) -> Batch:
    batch = _batch_or_404(user, pk)
    if not _may_route(user, batch.bank):
        raise Http404
    return batch


# ----------------------------------------------------------------------------------------------- 流转


@login_required
@require_POST
def allocate(request, pk: int):
    from yiwang.finance import actions

    batch = _routed_batch_or_404(request.user, pk)
    ids = [int(v) for v in request.POST.getlist("mediators") if v.isdigit()]
    allocation = _attempt(request, actions.do_start_allocation, batch, by=request.user, mediators=ids,
                          min_amount=request.POST.get("min_amount", ""), max_amount=request.POST.get("max_amount", ""),
                          limit=request.POST.get("limit", ""))
    if allocation is None:
        return redirect("finance:batch", pk=batch.pk)
    return redirect("finance:allocation", pk=allocation.pk)


@login_required
def allocation(request, pk: int):
    allocation = get_object_or_404(Allocation.objects.visible_to(request.user).select_related("bank__organisation"),
                                   pk=pk)
    running = allocation.status in ("queued", "running")
    return render(request, "finance/allocation.html", {
        "allocation": allocation, "refresh": 2 if running else None,
        "items": allocation.items.select_related("case", "mediator").order_by("outcome", "id")[:500],
    })


@login_required
@require_POST
def notify_borrowers(request, pk: int):
    from yiwang.finance import actions

    batch = _routed_batch_or_404(request.user, pk)
    _attempt(request, actions.do_notify_borrowers, batch, by=request.user,
             base_url=request.build_absolute_uri("/").rstrip("/"),
             success=lambda n: _("%(n)s borrowers were sent their link by text message.") % {"n": n})
    return redirect("finance:batch", pk=batch.pk)


@never_cache
@require_POST
def borrower_answer(request, token: str):
    """The borrower's proposal or dispute, from their private page (proven as online proves it)."""
    from yiwang.finance import actions
    from yiwang.online import actions as online_actions
    from yiwang.online.views import PARTY_SESSION_KEY

    access = online_actions.get_access(token)
    if access is None or request.session.get(PARTY_SESSION_KEY, {}).get(str(access.pk)) != access.token_hash:
        raise Http404
    _attempt(request, actions.do_answer_as_borrower, access, kind=request.POST.get("kind", ""),
             instalments=request.POST.get("instalments"), amount=request.POST.get("amount"),
             first_due_on=request.POST.get("first_due_on"), note=request.POST.get("note", ""),
             success=_("Your answer was sent to the mediator."))
    return redirect("online:party", token=token)


# ----------------------------------------------------------------------------------------------- the plan


def _bank_case_or_404(user, pk) -> BankCase:
    case = Case.objects.get_visible_or_404(user, "case.view", pk=pk)
    return get_object_or_404(BankCase.objects.select_related("bank__organisation", "case"), case=case)


@login_required
@require_POST
def plan(request, pk: int):
    from yiwang.finance import actions
    from yiwang.finance.actions.repayment import parse_date, parse_money

    bank_case = _bank_case_or_404(request.user, pk)
    errors: dict = {}
    total = parse_money(request.POST.get("total"), "total", errors)
    first = parse_date(request.POST.get("first_due_on"), "first_due_on", errors)
    try:
        count = int(request.POST.get("count", ""))
        if not 1 <= count <= actions.repayment.MAX_INSTALMENTS:
            raise ValueError
    except ValueError:
        errors["count"] = [_("Between 1 and %(n)s monthly instalments.") % {"n": actions.repayment.MAX_INSTALMENTS}]
    if errors:
        messages.error(request, " ".join(m for ms in errors.values() for m in ms))
    else:
        _attempt(request, actions.do_set_plan, bank_case.case, by=request.user,
                 instalments=actions.make_instalments(total, count, first), success=_("The repayment plan is set."))
    return redirect("cases:detail", pk=bank_case.case_id)


@login_required
@require_POST
def payment(request, pk: int):
    from yiwang.finance import actions

    bank_case = _bank_case_or_404(request.user, pk)
    plan = get_object_or_404(RepaymentPlan, case=bank_case.case)
    _attempt(request, actions.do_record_payment, plan, by=request.user, amount=request.POST.get("amount"),
             paid_on=request.POST.get("paid_on"), reference=request.POST.get("reference", ""),
             success=_("The payment is recorded."))
    return redirect("cases:detail", pk=bank_case.case_id)


@login_required
def overdue(request):
    from yiwang.finance import actions

    if not Bank.objects.visible_to(request.user).exists():
        raise Http404
    return render(request, "finance/overdue.html", {"instalments": actions.get_overdue_instalments(request.user)[:500]})


# ----------------------------------------------------------------------------------------------- litigation


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _litigation_case_or_404(request, pk) -> BankCase:
    from yiwang.core import audit

    bank_case = _bank_case_or_404(request.user, pk)
    if not (case_actions.check_case_party(bank_case.case, request.user, "case.intake")
            or _may_route(request.user, bank_case.bank)):
        raise Http404
    # The papers print the borrower's full ID and mobile numbers: a full read of personal data, audited.
    audit.record(request.user, "finance.litigation_papers_read", bank_case.case, area_code=bank_case.case.area_id)
    return bank_case


@login_required
def complaint(request, pk: int):
    from yiwang.finance import actions

    bank_case = _litigation_case_or_404(request, pk)
    return _pdf(actions.render_complaint(bank_case), f"complaint-{bank_case.case.number}.pdf")


@login_required
def evidence_list(request, pk: int):
    from yiwang.finance import actions

    bank_case = _litigation_case_or_404(request, pk)
    return _pdf(actions.render_evidence_list(bank_case), f"evidence-{bank_case.case.number}.pdf")


@login_required
@require_POST
def refer_to_court(request, pk: int):
    from yiwang.finance import actions

    batch = _routed_batch_or_404(request.user, pk)
    court = Organisation.objects.visible_to(request.user).filter(
        kind=OrganisationKind.COURT, pk=request.POST.get("court") or 0).first()
    if court is None:
        messages.error(request, _("Choose the court."))
        return redirect("finance:batch", pk=batch.pk)
    result = _attempt(request, actions.do_refer_to_court, batch, by=request.user, court=court)
    if result:
        referred, refused = result
        messages.success(request, _("%(n)s cases were referred to %(court)s.") % {"n": len(referred), "court": court})
        for case, why in refused[:20]:
            messages.error(request, f"{case.number}：{why}")
    return redirect("finance:batch", pk=batch.pk)


@login_required
@require_POST
def filing_package(request, pk: int):
    from yiwang.finance import actions

    batch = _routed_batch_or_404(request.user, pk)
    job = _attempt(request, actions.do_start_filing_package, batch, by=request.user)
    if job is None:
        return redirect("finance:batch", pk=batch.pk)
    return redirect("core:job_detail", pk=job.pk)


@login_required
def court_numbers(request):
    from yiwang.finance import actions

    if not actions.can_upload_court_numbers(request.user):
        raise Http404
    upload = None
    if request.method == "POST":
        upload = _attempt(request, actions.do_upload_court_numbers, by=request.user, file=request.FILES.get("file"))
        upload = upload if upload is not True else None
    return render(request, "finance/court_numbers.html", {"upload": upload})


@login_required
def payments_upload(request):
    from yiwang.finance import actions

    if not actions.can_upload_payments(request.user):
        raise Http404
    result = None
    if request.method == "POST":
        result = _attempt(request, actions.do_upload_payments, by=request.user, file=request.FILES.get("file"))
        result = result if result is not True else None
    return render(request, "finance/payments_upload.html", {"result": result, "headers": actions.PAYMENT_HEADERS})


# ----------------------------------------------------------------------------------------------- figures


@login_required
def statistics(request):
    from yiwang.finance import actions

    if not Bank.objects.figures_visible_to(request.user).exists():
        raise Http404
    figures = actions.get_bank_statistics(request.user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="bank-statistics.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([_("Bank"), pgettext("bank statistics", "Received"), pgettext("bank statistics", "Accepted"),
                         _("Mediated successfully"), _("To litigation"), pgettext("bank statistics", "Closed"), _("Amount in dispute"), _("Amount recovered"), _("Average days to close")])
        for f in figures:
            writer.writerow(f.as_row())
        return response
    return render(request, "finance/statistics.html", {"figures": figures})


@login_required
def follow_ups(request):
    from yiwang.finance import actions

    cases = [c for c in actions.get_follow_ups_due(request.user)[:300]
             if "follow_up" in case_actions.get_available_actions(c, request.user)]
    if not cases and not Bank.objects.visible_to(request.user).exists():
        raise Http404
    return render(request, "finance/follow_ups.html", {"cases": cases, "methods": FollowUp.Method.choices})


@login_required
@require_POST
def follow_up(request, pk: int):
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk, bank_case__isnull=False)
    _attempt(request, case_actions.do_follow_up, case, by=request.user, satisfaction=request.POST.get("satisfaction"),
             note=request.POST.get("note", ""), method=request.POST.get("method") or "phone",
             success=_("The follow-up of case %(number)s is recorded.") % {"number": case.number})
    return redirect("finance:follow_ups")
