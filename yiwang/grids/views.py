"""Phone-first pages for grid work: the visit log, problems and their steps, boards, month-end reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area, DisputeType
from yiwang.core import registry, uploads
from yiwang.core.db import replica_reads
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import user_can
from yiwang.grids import actions
from yiwang.grids.boards import get_board, get_figures, get_home_scope_code, get_month_report, get_scope_for
from yiwang.grids.exports import get_title, render_month_pdf, render_month_xlsx
from yiwang.grids.forms import ProblemDraftFormSet, ProblemForm, StepForm, VisitForm
from yiwang.grids.models import Category, Photo, Problem, State, Visit, VisitTask


@login_required
def home(request):
    code = get_home_scope_code(request.user)
    if code is None:
        raise PermissionDenied
    return redirect("grids:board", code=code)


@login_required
@replica_reads
def board(request, code):
    scope = get_scope_for(request.user, code)
    today = timezone.localdate()
    return render(request, "grids/board.html", {
        "board": get_board(scope, today),
        "last_month": (today.replace(day=1) - datetime.timedelta(days=1)),
        "this_month": today,
        "can_visit": user_can(request.user, "grid.visit", scope.area.code),
    })


@login_required
@replica_reads
def month_report(request, code, year, month, fmt):
    scope = get_scope_for(request.user, code)
    year, month = int(year), int(month)  # from a regex route
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise Http404
    report = get_month_report(scope, year, month)
    name = f"yiwang-grids-{scope.code}-{year}-{month:02d}"
    if fmt == "pdf":
        response = HttpResponse(render_month_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(
            render_month_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@replica_reads
def month_report_page(request, code, year, month):
    scope = get_scope_for(request.user, code)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:  # the same months as the PDF and Excel files
        raise Http404
    report = get_month_report(scope, year, month)
    return render(request, "grids/month_report.html", {"report": report, "title": get_title(report)})


@login_required
@replica_reads
def figures(request, code):
    """Visits made and problems solved for an area and its parts over a period (default: this year)."""
    scope = get_scope_for(request.user, code)
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = datetime.date.fromisoformat(request.GET.get("end") or today.isoformat())
        if not 1900 <= start.year <= 2999 or not 1900 <= end.year <= 2999:  # the calendar's edges overflow
            raise ValueError(end)
    except ValueError:
        messages.error(request, _("Give the dates as YYYY-MM-DD."))
        start, end = datetime.date(today.year, 1, 1), today
    if start > end:
        start, end = end, start
    return render(request, "grids/figures.html", {
        "scope": scope, "start": start, "end": end, "total": get_figures(scope, start, end),
        "rows": [get_figures(child, start, end) for child in scope.children()],
    })


@login_required
def visit_new(request):
    grids = actions.get_grids_for_visits(request.user)
    if not grids.exists():
        raise PermissionDenied
    # The home page's 登记走访 button names the grid of the week's next visit: the form opens on it.
    chosen = grids.filter(pk=request.GET["grid"]).first() if request.GET.get("grid", "").isdigit() else None
    form = VisitForm(request.POST or None, request.FILES or None, grids=grids,
                     initial={"grid": chosen} if chosen else None)
    formset = ProblemDraftFormSet(request.POST or None, request.FILES or None, prefix="p")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        drafts = [
            actions.ProblemDraft(category=f.cleaned_data["category"], description=f.cleaned_data["description"],
                                 location=f.cleaned_data.get("location", ""),
                                 photos=tuple(f.cleaned_data.get("photos") or ()))
            for f in formset if f.cleaned_data and not f.is_blank
        ]
        try:
            visit = actions.do_log_visit(
                data["grid"], by=request.user, date=data["date"], households_visited=data["households_visited"],
                members=list(data["members"]), others_present=data["others_present"], notes=data["notes"],
                location=data["location"], latitude=data["latitude"], longitude=data["longitude"],
                photos=data["photos"], problems=drafts,
            )
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Visit logged, with %(n)s problems reported.") % {"n": len(drafts)})
            return redirect("grids:visit_detail", pk=visit.pk)
    return render(request, "grids/visit_form.html", {"form": form, "formset": formset})


@login_required
def problem_new(request):
    grids = actions.get_grids_for_visits(request.user)
    if not grids.exists():
        raise PermissionDenied
    form = ProblemForm(request.POST or None, request.FILES or None, grids=grids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = actions.do_report_problem(
                data["grid"], by=request.user, category=data["category"], description=data["description"],
                location=data["location"], photos=data["photos"],
            )
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Problem reported."))
            return redirect("grids:problem_detail", pk=problem.pk)
    return render(request, "grids/problem_form.html", {"form": form})


@login_required
def visit_detail(request, pk):
    visit = Visit.objects.select_related("grid__area", "team", "logged_by").get_visible_or_404(
        request.user, "grid.view", pk=pk
    )
    return render(request, "grids/visit_detail.html", {
        "visit": visit, "members": visit.members_present.all(), "problems": visit.problems.all(),
        "photos": visit.photos.all(),
    })


@login_required
def task_list(request):
    today = timezone.localdate()
    tasks = (
        VisitTask.objects.visible_to(request.user, "grid.view")
        .filter(due_date__gte=today - datetime.timedelta(days=28))
        .select_related("grid__area", "team")
        .order_by("-due_date", "grid__code")
    )
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(request, "grids/task_list.html", {"page": page, "today": today})


@login_required
def problem_list(request):
    today = timezone.localdate()
    problems = Problem.objects.visible_to(request.user, "grid.view").select_related("grid", "area")
    show = request.GET.get("show", "open")
    if show == "open":
        problems = problems.open()
    elif show == "overdue":
        problems = problems.overdue(today)
    elif show == "triage":
        problems = problems.open().filter(grid__isnull=True)
    elif show == "reported":  # waiting to be accepted
        problems = problems.filter(state=State.REPORTED)
    elif show == "verify":  # fed back: to be checked on site
        problems = problems.filter(state__in=(State.FEEDBACK, State.VERIFYING))
    area = request.GET.get("area", "")
    if area:
        problems = problems.filter(Q(area__code__startswith=area) | Q(grid__code=area))
    category = request.GET.get("category", "")
    if category in Category.values:
        problems = problems.filter(category=category)
    # A figure's link (statistics, figures pages) names its period: reported in it, or closed in it.
    period = {}
    for name, lookup in (("reported_from", "reported_at__date__gte"), ("reported_to", "reported_at__date__lte"),
                         ("closed_from", "closed_at__date__gte"), ("closed_to", "closed_at__date__lte")):
        try:
            day = datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            continue
        period[name] = day
        problems = problems.filter(**{lookup: day})
    page = Paginator(problems, 30).get_page(request.GET.get("page"))
    return render(request, "grids/problem_list.html", {
        "page": page, "rows": [(p, p.is_overdue(today)) for p in page], "show": show, "area": area,
        "category": category, "categories": Category.choices, "period": period,
    })


# The text each step asks for (the action refuses the step without it); other steps take a note.
STEP_TEXT = {"mark_invalid": "reason", "return": "reason", "park": "reason", "reject_verification": "reason",
             "request_extension": "reason", "feed_back": "outcome"}


@login_required
def problem_detail(request, pk):
    problem = Problem.objects.select_related(
        "grid__area", "area", "assigned_organisation", "assigned_team", "visit"
    ).get_visible_or_404(request.user, "grid.view", pk=pk)
    steps = actions.get_available_steps(request.user, problem)
    organisations, teams = actions.get_dispatch_targets(problem)
    return render(request, "grids/problem_detail.html", {
        "problem": problem, "steps": [(s, actions.STEPS[s][3], STEP_TEXT.get(s, "note")) for s in steps],
        "events": problem.events.select_related("actor"), "photos": problem.photos.all(),
        "organisations": organisations, "teams": teams, "today": timezone.localdate(),
        "grids": actions.get_accept_grids() if problem.in_triage and "accept" in steps else (),
        "triage_area": problem.area,
        "coordinating_area": Area.objects.filter(code=actions.get_coordinating_area_code(problem)).first(),
        "dispute_types": DisputeType.objects.filter(active=True) if "refer_to_mediation" in steps else (),
        "panels": [{"template": p.template, "context": c} for p in registry.problem_panels
                   if (c := p.context(problem, request.user))],
    })


@login_required
@require_POST
def problem_step(request, pk, step):
    problem = Problem.objects.get_visible_or_404(request.user, "grid.view", pk=pk)
    if step not in actions.STEPS:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("grids:problem_detail", pk=pk)
    try:
        actions.do_step(problem, step, form.cleaned_data, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": actions.STEPS[step][3]})
        if not Problem.objects.visible_to(request.user, "grid.view").filter(pk=pk).exists():
            return redirect("grids:problem_list")
    return redirect("grids:problem_detail", pk=pk)


@login_required
def photo(request, pk):
    """A stored photo, only for readers of its area; never from a public URL."""
    item = Photo.objects.get_visible_or_404(request.user, "grid.view", pk=pk)
    return uploads.stored_file_response(item.file, item.content_type)

