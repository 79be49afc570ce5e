"""Pages for the pairings (结对共建: the agreement, its records, yearly renewal), the registry of social
organisations (register, update, incubation and status, yearly inspection) and the 民主法治示范村 titles.
Each form calls the same action as the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area, Organisation
from yiwang.cobuild import actions
from yiwang.cobuild.forms import (
    InspectionForm,
    PairingForm,
    PairingRecordForm,
    RenewForm,
    SocialForm,
    SocialUpdateForm,
    TitleForm,
)
from yiwang.cobuild.models import DemocracyTitle, Pairing, SocialKind, SocialOrganisation, SocialStatus
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form
from yiwang.core.scope import user_can

VIEW, MANAGE = "cobuild.view", "cobuild.manage"


def _require(user, permission: str) -> None:
    if not user_can(user, permission):
        raise PermissionDenied


def _form_page(request, form, title: str, button: str, intro: str = ""):
    return render(request, "cobuild/form.html", {"form": form, "title": title, "button": button, "intro": intro})


# ------------------------------------------------------------------------------------------------ pairings


@login_required
def pairing_list(request):
    _require(request.user, VIEW)
    pairings = Pairing.objects.visible_to(request.user, VIEW).select_related("unit", "area")
    page = Paginator(pairings, 30).get_page(request.GET.get("page"))
    return render(request, "cobuild/pairing_list.html", {"page": page, "can_pair": user_can(request.user, MANAGE)})


@login_required
def pairing_new(request):
    _require(request.user, MANAGE)
    form = PairingForm(request.POST or None,
                       units=Organisation.objects.filter(kind="district_unit", active=True).order_by("name"),
                       areas=Area.objects.visible_to(request.user, MANAGE).filter(level__in=["township", "village"]))
    if request.method == "POST" and form.is_valid():
        try:
            pairing = actions.do_pair(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Pairing recorded."))
            return redirect("cobuild:pairing_detail", pk=pairing.pk)
    return _form_page(request, form, _("Record a pairing agreement"), _("Record"))


def _may_record(user, pairing) -> bool:
    return user_can(user, MANAGE, pairing.area_id) or pairing.unit_id in actions.get_acting_organisations(
        user, pairing.area_id)


@login_required
def pairing_detail(request, pk):
    pairing = Pairing.objects.select_related("unit", "area").get_visible_or_404(request.user, VIEW, pk=pk)
    return render(request, "cobuild/pairing_detail.html", {
        "pairing": pairing, "records": pairing.records.select_related("recorded_by"),
        "record_form": PairingRecordForm(prefix="record") if _may_record(request.user, pairing) else None,
        "renew_form": RenewForm(initial={"version": pairing.version}, prefix="renew")
        if user_can(request.user, MANAGE, pairing.area_id) else None,
    })


@login_required
def pairing_record(request, pk):
    """Record what was done under a pairing (its own page too, for a phone)."""
    pairing = Pairing.objects.select_related("unit", "area").get_visible_or_404(request.user, VIEW, pk=pk)
    if not _may_record(request.user, pairing):
        raise PermissionDenied
    form = PairingRecordForm(request.POST or None, prefix="record")
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_pairing_work(pairing, by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("cobuild:pairing_detail", pk=pk)
    return _form_page(request, form, _("What was done: %(pairing)s") % {"pairing": pairing}, _("Record"))


@login_required
@require_POST
def pairing_renew(request, pk):
    pairing = Pairing.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    form = RenewForm(request.POST, prefix="renew")
    if form.is_valid():
        try:
            actions.do_renew_pairing(pairing, by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, _("Renewed until %(day)s.") % {"day": pairing.ends_on.isoformat()})
    else:
        messages.error(request, _("Reload the page and try again."))
    return redirect("cobuild:pairing_detail", pk=pk)


# ------------------------------------------------------------------------------------- social organisations


@login_required
def social_list(request):
    _require(request.user, VIEW)
    socials = SocialOrganisation.objects.visible_to(request.user, VIEW).select_related("organisation", "area")
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in SocialStatus.values:
        socials = socials.filter(status=status)
    if kind in SocialKind.values:
        socials = socials.filter(kind=kind)
    page = Paginator(socials, 30).get_page(request.GET.get("page"))
    return render(request, "cobuild/social_list.html", {
        "page": page, "status": status, "kind": kind, "statuses": SocialStatus.choices, "kinds": SocialKind.choices,
        "can_register": user_can(request.user, MANAGE)})


@login_required
def social_new(request):
    _require(request.user, MANAGE)
    form = SocialForm(request.POST or None, areas=Area.objects.visible_to(request.user, MANAGE).exclude(
        level__in=["province", "city"]))
    if request.method == "POST" and form.is_valid():
        try:
            social = actions.do_register_social_organisation(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Registered as %(kind)s.") % {"kind": social.get_kind_display()})
            return redirect("cobuild:social_detail", pk=social.pk)
    return _form_page(request, form, _("Register a social organisation"), _("Register"),
                      _("The credit code is checked by its check character; the kind is read from it."))


@login_required
def social_detail(request, pk):
    social = SocialOrganisation.objects.select_related("organisation", "area").get_visible_or_404(
        request.user, VIEW, pk=pk)
    manage = user_can(request.user, MANAGE, social.area_id) and social.status != SocialStatus.DEREGISTERED
    update_form = inspection_form = None
    if manage:
        update_form = SocialUpdateForm(prefix="update", initial={
            "version": social.version, "registration_authority": social.registration_authority, "field": social.field,
            "party_organisation": social.party_organisation, "incubated": social.incubated, "status": social.status})
        inspection_form = InspectionForm(prefix="inspect")
    if request.method == "POST" and manage:
        which = "update" if "update-version" in request.POST else "inspect"
        form = SocialUpdateForm(request.POST, prefix="update") if which == "update" else InspectionForm(
            request.POST, prefix="inspect")
        if form.is_valid():
            try:
                if which == "update":
                    actions.do_update_social_organisation(social, by=request.user, **form.cleaned_data)
                else:
                    actions.do_record_inspection(social, by=request.user, **form.cleaned_data)
            except ActionRefused as error:
                add_refusal_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("cobuild:social_detail", pk=pk)
        if which == "update":
            update_form = form
        else:
            inspection_form = form
    return render(request, "cobuild/social_detail.html", {
        "social": social, "inspections": social.inspections.all(), "update_form": update_form,
        "inspection_form": inspection_form,
    })


# ------------------------------------------------------------------------------------- 民主法治示范村


@login_required
def title_list(request):
    """The 民主法治示范村（社区） titles in the reader's scope; the office records new ones here."""
    _require(request.user, VIEW)
    titles = DemocracyTitle.objects.visible_to(request.user, VIEW).select_related("area")
    form = None
    if user_can(request.user, MANAGE):
        form = TitleForm(request.POST or None,
                         areas=Area.objects.visible_to(request.user, MANAGE).filter(level="village"))
        if request.method == "POST" and form.is_valid():
            try:
                actions.do_record_title(form.cleaned_data["area"], by=request.user, level=form.cleaned_data["level"],
                                        year=form.cleaned_data["year"])
            except ActionRefused as error:
                add_refusal_to_form(form, error)
            else:
                messages.success(request, _("Title recorded."))
                return redirect("cobuild:title_list")
    elif request.method == "POST":
        raise PermissionDenied
    page = Paginator(titles, 50).get_page(request.GET.get("page"))
    return render(request, "cobuild/title_list.html", {"page": page, "form": form})


# ------------------------------------------------------------------------------------- 乡贤 (elders)


@login_required
def council_list(request):
    """The elder councils (乡贤理事会/联谊会) in the reader's scope, with their members and mediators."""
    from django.db.models import Count, Q

    from yiwang.cobuild.models import ElderCouncil

    _require(request.user, VIEW)
    councils = (ElderCouncil.objects.visible_to(request.user, VIEW).select_related("area")
                .annotate(n=Count("members"), mediators=Count("members", filter=Q(members__user__isnull=False)))
                .order_by("area_id", "name"))
    page = Paginator(councils, 30).get_page(request.GET.get("page"))
    return render(request, "cobuild/council_list.html", {"page": page})


@login_required
def council_detail(request, pk):
    """A council's members with their expertise, standing and mediations; the office adds members and
    names one a mediator (they join the mediator pool of the council's area)."""
    from yiwang.cobuild import elders
    from yiwang.cobuild.forms import ElderForm, MediatorForm
    from yiwang.cobuild.models import ElderCouncil
    from yiwang.pii import mask_phone

    council = ElderCouncil.objects.select_related("area").get_visible_or_404(request.user, VIEW, pk=pk)
    manage = user_can(request.user, MANAGE, council.area_id)
    elder_form = ElderForm(prefix="elder") if manage else None
    mediator_form = MediatorForm(prefix="mediator") if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        adding = "elder-name" in request.POST
        form = ElderForm(request.POST, prefix="elder") if adding else MediatorForm(request.POST, prefix="mediator")
        if form.is_valid():
            try:
                if adding:
                    elders.do_add_elder(council, by=request.user, **form.cleaned_data)
                else:
                    member = council.members.filter(pk=form.cleaned_data["member"]).first()
                    if member is None:
                        raise Http404
                    elders.do_name_mediator(member, by=request.user, username=form.cleaned_data["username"])
            except ActionRefused as error:
                add_refusal_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("cobuild:council_detail", pk=pk)
        if adding:
            elder_form = form
        else:
            mediator_form = form
    pii = user_can(request.user, "pii.view", council.area_id)
    members = [(m, m.phone if pii else mask_phone(m.phone) if m.phone else "", elders.get_mediation_count(m))
               for m in council.members.select_related("user")]
    return render(request, "cobuild/council_detail.html", {
        "council": council, "members": members, "elder_form": elder_form, "mediator_form": mediator_form,
        "candidates": [m for m, _phone, _n in members if m.user_id is None],
    })
