"""Triage's pages: the mediators of the reader's area with their profiles and conflicts of interest, and
the parties' languages of a case (posted from its card on the case page). Thin: each POST calls one
action and shows its refusal on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area
from yiwang.core.codes import Level
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import user_can
from yiwang.triage import actions
from yiwang.triage.forms import CaseLanguagesForm, ConflictForm, ProfileForm
from yiwang.triage.models import Conflict, MediatorProfile
from yiwang.triage.recommend import ACTIVE_STATUSES

KEEP = actions.profiles.KEEP


def _require_keeper(user) -> None:
    if not user_can(user, KEEP):
        raise PermissionDenied


def _places(user):
    """The villages and towns a keeper may name: inside the area where they route cases."""
    return Area.objects.visible_to(user, KEEP).filter(level__in=(Level.TOWNSHIP, Level.VILLAGE)).order_by("code")


def _open_loads(mediator_ids) -> dict[int, int]:
    from yiwang.cases.models import Assignment

    rows = (Assignment.objects.filter(mediator_id__in=mediator_ids, recused_at__isnull=True,
                                      case__status__in=ACTIVE_STATUSES)
            .values("mediator_id").annotate(n=Count("case_id", distinct=True)))
    return {row["mediator_id"]: row["n"] for row in rows}


@login_required
def mediator_list(request):
    """The mediators of the reader's area, each with what their profile declares and the cases they carry."""
    _require_keeper(request.user)
    mediators = list(actions.get_keepable_mediators(request.user))
    ids = [m.pk for m in mediators]
    profiles = {p.mediator_id: p for p in MediatorProfile.objects.filter(mediator_id__in=ids)
                .select_related("home_area").prefetch_related("dispute_types", "languages")}
    conflicts = dict(Conflict.objects.filter(mediator_id__in=ids).values("mediator_id")
                     .annotate(n=Count("id")).values_list("mediator_id", "n"))
    loads = _open_loads(ids)
    rows = [{"mediator": m, "profile": profiles.get(m.pk), "conflicts": conflicts.get(m.pk, 0),
             "load": loads.get(m.pk, 0)} for m in mediators]
    return render(request, "triage/mediator_list.html", {"rows": rows})


def _profile_initial(profile) -> dict:
    if profile is None:
        return {"version": 0}
    return {"version": profile.version, "dispute_types": list(profile.dispute_types.all()),
            "home_area": profile.home_area, "languages": list(profile.languages.all()),
            "away_until": profile.away_until, "away_note": profile.away_note, "capacity": profile.capacity}


def _render_mediator(request, mediator, *, profile_form=None, conflict_form=None, status=200):
    profile = MediatorProfile.objects.filter(mediator=mediator).first()
    places = _places(request.user)
    return render(request, "triage/mediator_detail.html", {
        "mediator": mediator, "profile": profile, "area": actions.get_mediator_area(mediator, request.user),
        "profile_form": profile_form or ProfileForm(initial=_profile_initial(profile), areas=places),
        "conflict_form": conflict_form or ConflictForm(areas=places),
        "conflicts": Conflict.objects.filter(mediator=mediator).select_related("area", "recorded_by"),
        "load": _open_loads([mediator.pk]).get(mediator.pk, 0),
    }, status=status)


@login_required
def mediator_detail(request, pk):
    """A mediator's profile (GET shows it, POST saves it) and their conflicts of interest; a mediator
    the reader does not keep is answered as missing."""
    mediator = actions.get_mediator_or_404(request.user, pk)
    if request.method != "POST":
        return _render_mediator(request, mediator)
    form = ProfileForm(request.POST, areas=_places(request.user))
    if form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        try:
            actions.do_save_profile(mediator, by=request.user, version=version, **values)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Profile of %(name)s saved.") % {"name": mediator})
            return redirect("triage:mediator_detail", pk=mediator.pk)
    return _render_mediator(request, mediator, profile_form=form, status=400)


@login_required
@require_POST
def conflict_add(request, pk):
    """Record a conflict of interest of the mediator."""
    mediator = actions.get_mediator_or_404(request.user, pk)
    form = ConflictForm(request.POST, areas=_places(request.user))
    if form.is_valid():
        try:
            actions.do_add_conflict(mediator, by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Conflict of interest recorded: %(name)s is not suggested for it.")
                             % {"name": mediator})
            return redirect("triage:mediator_detail", pk=mediator.pk)
    return _render_mediator(request, mediator, conflict_form=form, status=400)


@login_required
@require_POST
def conflict_remove(request, pk):
    """Forget a conflict of interest (entered by mistake, or the tie has ended)."""
    keepable = actions.get_keepable_mediators(request.user)
    conflict = get_object_or_404(Conflict.objects.filter(mediator__in=keepable).select_related("mediator"), pk=pk)
    try:
        actions.do_remove_conflict(conflict, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("Conflict of interest removed."))
    return redirect("triage:mediator_detail", pk=conflict.mediator_id)


@login_required
@require_POST
def case_languages(request, pk):
    """Record the languages a case's parties speak, from the card on the case page."""
    from yiwang.cases.models import Case

    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    form = CaseLanguagesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(v) for v in form.errors.values()))
        return redirect("cases:detail", pk=case.pk)
    try:
        actions.do_record_case_languages(case, by=request.user, languages=form.cleaned_data["languages"],
                                         note=form.cleaned_data["note"], version=form.cleaned_data["version"])
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("The parties' languages are recorded."))
    return redirect("cases:detail", pk=case.pk)
