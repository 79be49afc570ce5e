"""The leader's board of open warnings (by level, area and age), a warning's page with its lifecycle
steps, and the steps themselves (POST; the same actions as the API)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_messages
from yiwang.core.scope import user_can
from yiwang.warnings import actions
from yiwang.warnings.models import LEVEL_RANK, OPEN_STATUSES, Level, Rule, Status, Warning

# Age bands on the board: how long a warning has been open.
AGE_BANDS = [(1, gettext_lazy("under a day")), (3, gettext_lazy("1–3 days")), (7, gettext_lazy("3–7 days")),
             (None, gettext_lazy("over a week"))]


class StepForm(forms.Form):
    version = forms.IntegerField()
    note = forms.CharField(required=False, max_length=4000)
    false_alarm = forms.BooleanField(required=False)


def get_filtered(user, params):
    """The warnings `user` sees, filtered by the board's (and the API's) parameters: level, status
    (`open` for every open one), area (a division code prefix), rule."""
    qs = Warning.objects.visible_to(user, "warning.view").select_related("rule", "area")
    status = params.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if params.get("level"):
        qs = qs.filter(level=params["level"])
    if params.get("area"):
        qs = qs.in_area(params["area"])
    if params.get("rule"):
        qs = qs.filter(rule_id=params["rule"])
    return qs


def _age_band(warning, now) -> int:
    days = (now - warning.raised_at).total_seconds() / 86400
    for index, (limit, _label) in enumerate(AGE_BANDS):
        if limit is None or days < limit:
            return index
    return len(AGE_BANDS) - 1


@login_required
def board(request):
    if not user_can(request.user, "warning.view"):
        raise PermissionDenied
    params = {"status": "open", **request.GET.dict()}
    qs = get_filtered(request.user, params)
    now = timezone.now()
    open_qs = Warning.objects.visible_to(request.user, "warning.view").open()
    by_level = {row["level"]: row["n"] for row in open_qs.values("level").annotate(n=Count("id"))}
    by_area = (open_qs.values("area__code", "area__name").annotate(n=Count("id")).order_by("-n", "area__code")[:20])
    ages = [0] * len(AGE_BANDS)
    for warning in open_qs.only("raised_at"):
        ages[_age_band(warning, now)] += 1
    rows = sorted(qs[:500], key=lambda w: (-LEVEL_RANK[w.level], w.raised_at)) if params["status"] == "open" else qs
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "warnings/board.html", {
        "page": page, "params": params, "levels": Level.choices, "statuses": Status.choices,
        "rules": Rule.objects.order_by("code"),
        "by_level": [(value, label, by_level.get(value, 0)) for value, label in reversed(Level.choices)],
        "by_area": by_area, "ages": list(zip([label for _l, label in AGE_BANDS], ages, strict=True)),
    })


@login_required
def detail(request, pk):
    warning = Warning.objects.get_visible_or_404(request.user, "warning.view", pk=pk)
    from yiwang.cases.models import Case
    from yiwang.grids.models import Problem

    visible_cases = set(Case.objects.visible_to(request.user, "case.view").filter(warnings=warning)
                        .values_list("pk", flat=True))
    visible_problems = set(Problem.objects.visible_to(request.user, "grid.view").filter(warnings=warning)
                           .values_list("pk", flat=True))
    return render(request, "warnings/detail.html", {
        "warning": warning,
        "cases": [(case, case.pk in visible_cases) for case in warning.cases.order_by("received_at")],
        "problems": [(p, p.pk in visible_problems) for p in warning.problems.order_by("reported_at")],
        "events": warning.events.select_related("actor"),
        "steps": [(name, actions.STEPS[name]) for name in actions.get_available_steps(request.user, warning)],
    })


@login_required
@require_POST
def step(request, pk, step):
    warning = Warning.objects.get_visible_or_404(request.user, "warning.view", pk=pk)
    if step not in actions.STEPS:
        raise Http404
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return redirect("warnings:detail", pk=pk)
    try:
        actions.do_step(warning, step, by=request.user, version=form.cleaned_data["version"],
                        note=form.cleaned_data["note"], false_alarm=form.cleaned_data["false_alarm"])
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": actions.STEPS[step].label})
    return redirect("warnings:detail", pk=pk)
