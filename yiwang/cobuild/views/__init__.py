"""Phone-first pages for co-building: the demand list and a demand's steps, resources, the project list,
the public pages (venture results, ratings) and the records. Projects, pairings, the registry and 公益创投
have their own modules in this package."""

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
from yiwang.cobuild.forms import DemandForm, RaiseForm, ResourceForm, StepForm
from yiwang.cobuild.matching import get_suggestions
from yiwang.cobuild.models import Category, Claim, Demand, DemandState, Project, ReportPhoto, Resource
from yiwang.cobuild.views._steps import post_step
from yiwang.core import uploads
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import user_can, user_can_reach
from yiwang.pii import mask_phone

VIEW = "cobuild.view"


def _require_view(user) -> None:
    if not user_can(user, VIEW):
        raise PermissionDenied


@login_required
def demand_list(request):
    """The demands the reader may see; a unit sees the open ones it may claim and its own claims."""
    _require_view(request.user)
    demands = Demand.objects.visible_to(request.user, VIEW).select_related("area")
    show = request.GET.get("show", "open")
    if show in DemandState.values:
        demands = demands.filter(state=show)
    category = request.GET.get("category", "")
    if category in Category.values:
        demands = demands.filter(category=category)
    page = Paginator(demands, 30).get_page(request.GET.get("page"))
    own = Claim.objects.visible_to(request.user, VIEW).filter(
        organisation_id__in=actions.get_acting_organisations(request.user)
        or [0]).select_related("demand", "organisation")[:20] if not request.user.is_superuser else ()
    return render(request, "cobuild/demand_list.html", {
        "page": page, "show": show, "states": DemandState.choices, "category": category,
        "categories": Category.choices, "own_claims": own, "can_post": user_can(request.user, "cobuild.post"),
    })


def _postable_areas(user):
    return Area.objects.visible_to(user, "cobuild.post").filter(level="village")


@login_required
def demand_new(request):
    """Post a demand; with ?problem=<id>, raise that livelihood problem as one in one step."""
    if not user_can(request.user, "cobuild.post"):
        raise PermissionDenied
    if request.GET.get("problem"):
        return _raise_from_problem(request, request.GET["problem"])
    form = DemandForm(request.POST or None, areas=_postable_areas(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            demand = actions.do_post_demand(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Demand posted."))
            return redirect("cobuild:demand_detail", pk=demand.pk)
    return render(request, "cobuild/demand_form.html", {"form": form})


def _raise_from_problem(request, pk):
    from yiwang.grids.models import Problem

    try:
        problem = Problem.objects.get_visible_or_404(request.user, "grid.view", pk=int(pk))
    except ValueError:
        raise Http404 from None
    initial = {"title": problem.description[:40], "size": 1, "contact_name": problem.reporter_name}
    form = RaiseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            demand = actions.do_raise_from_problem(problem, by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("The problem is on the demand list."))
            return redirect("cobuild:demand_detail", pk=demand.pk)
    return render(request, "cobuild/demand_form.html", {"form": form, "problem": problem})


@login_required
def demand_detail(request, pk):
    demand = Demand.objects.select_related("area", "problem").get_visible_or_404(request.user, VIEW, pk=pk)
    steps = actions.get_available_steps(request.user, demand)
    claim = demand.current_claim()
    may_post = user_can_reach(request.user, "cobuild.post", demand)
    acting = actions.get_acting_organisations(request.user, demand.area_id)
    return render(request, "cobuild/demand_detail.html", {
        "demand": demand, "claim": claim, "steps": [(s, actions.STEPS[s][3]) for s in steps],
        "suggestions": get_suggestions(demand) if demand.state == DemandState.OPEN and may_post else (),
        "claims": demand.claims.select_related("organisation", "resource"),
        "photos": ReportPhoto.objects.filter(claim=claim) if claim else (),
        "contact_phone": demand.contact_phone if may_post or (claim and claim.organisation_id in acting)
        else mask_phone(demand.contact_phone),
        "resources": Resource.objects.filter(organisation_id__in=acting, active=True) if "claim" in steps else (),
    })


@login_required
@require_POST
def demand_step(request, pk, step):
    demand = Demand.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    return post_step(request, demand, step, steps=actions.STEPS, form_class=StepForm, act=actions.do_step,
                     detail="cobuild:demand_detail")


@login_required
def photo(request, pk):
    """A stored photo, only for readers of its claim or project; never from a public URL."""
    item = ReportPhoto.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    if item.claim_id is not None:
        owner_visible = Claim.objects.visible_to(request.user, VIEW).filter(pk=item.claim_id)
    else:
        owner_visible = Project.objects.visible_to(request.user, VIEW).filter(milestones=item.milestone_id)
    if not owner_visible.exists():
        raise Http404
    return uploads.stored_file_response(item.file, item.content_type)


@login_required
def resource_list(request):
    _require_view(request.user)
    resources = Resource.objects.visible_to(request.user, VIEW).select_related("organisation", "area")
    category = request.GET.get("category", "")
    if category in Category.values:
        resources = [r for r in resources.filter(active=True) if category in r.categories]
    page = Paginator(resources, 30).get_page(request.GET.get("page"))
    return render(request, "cobuild/resource_list.html", {
        "page": page, "category": category, "categories": Category.choices,
        "can_offer": request.user.is_superuser or bool(actions.get_acting_organisations(request.user)),
    })


def _offering_organisations(user):
    if user.is_superuser:
        return Organisation.objects.filter(active=True, kind__in=["district_unit", "social"])
    return Organisation.objects.filter(pk__in=actions.get_acting_organisations(user))


@login_required
def resource_new(request):
    organisations = _offering_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ResourceForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_offer_resource(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Resource added to the list."))
            return redirect("cobuild:resource_list")
    return render(request, "cobuild/resource_form.html", {"form": form})


@login_required
def project_list(request):
    _require_view(request.user)
    projects = Project.objects.visible_to(request.user, VIEW).select_related("area", "lead")
    page = Paginator(projects, 30).get_page(request.GET.get("page"))
    return render(request, "cobuild/project_list.html", {
        "page": page, "can_plan": user_can(request.user, "cobuild.manage")})


def venture_results(request, pk):
    """The public results of a 公益创投 call (no sign-in): what was funded, the panel's scores, the
    tranches paid and the final grades. Only decided calls are public; anything else is a 404."""
    from yiwang.cobuild.models import ApplicationState, CallState, VentureCall

    call = VentureCall.objects.filter(pk=pk, state=CallState.DECIDED).first()
    if call is None:
        raise Http404
    applications = (call.applications.filter(state__in=[ApplicationState.FUNDED, ApplicationState.COMPLETED])
                    .select_related("applicant__organisation").prefetch_related("tranches")
                    .order_by("-review_score", "id"))
    return render(request, "cobuild/venture_results.html", {"call": call, "applications": applications})


# ------------------------------------------------------------------------------------------ 好坏大家评


def _community(code: str) -> Area:
    area = Area.objects.filter(code=code, level="village").first()
    if area is None:
        raise Http404
    return area


def rate_page(request, code):
    """A community's public page (no sign-in, reached by its QR code): the finished work, its ratings,
    and the form by which a resident rates it with a code sent to their phone."""
    from django.db.models import Avg, Count

    from yiwang.cobuild import ratings
    from yiwang.cobuild.models import Rating

    area = _community(code)
    demands, projects = ratings.get_rateable(area)
    if request.method == "POST":
        try:
            if request.POST.get("send_code"):
                phone = ratings.check_phone(request.POST.get("phone"))
                ratings.do_request_code(phone)
                request.session["cobuild_rate_phone"] = phone
                messages.success(request, _("A code was sent to your phone."))
            else:
                item = request.POST.get("item", "")
                kind, _sep, pk = item.partition(":")
                demand = demands.filter(pk=pk).first() if kind == "demand" and pk.isdigit() else None
                project = projects.filter(pk=pk).first() if kind == "project" and pk.isdigit() else None
                ratings.do_rate(area, phone=request.POST.get("phone", ""), code=request.POST.get("code", ""),
                                demand=demand, project=project, score=request.POST.get("score"),
                                comment=request.POST.get("comment", ""))
                messages.success(request, _("Thank you: your rating is public below."))
        except ActionRefused as error:
            add_refusal_to_messages(request, error)
        return redirect("cobuild:rate", code=code)
    summary = {(r["demand"], r["project"]): r for r in Rating.objects.filter(area=area).values("demand", "project")
               .annotate(mean=Avg("score"), n=Count("id"))}
    return render(request, "cobuild/rate.html", {
        "area": area, "titles": area.democracy_titles.all(),
        "demands": [(d, summary.get((d.pk, None))) for d in demands],
        "projects": [(p, summary.get((None, p.pk))) for p in projects],
        "ratings": Rating.objects.filter(area=area).select_related("demand", "project")[:50],
        "phone": request.session.get("cobuild_rate_phone", ""),
    })


def rate_qr(request, code):
    """The QR code of the community's rating page, made here (segno), nothing fetched."""
    import io

    import segno
    from django.http import HttpResponse

    area = _community(code)
    buffer = io.BytesIO()
    segno.make(request.build_absolute_uri(f"/cobuild/rate/{area.code}/"), error="m").save(
        buffer, kind="svg", scale=8, border=4, xmldecl=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
def records(request):
    """Units' and organisations' records: claims met, time to claim, residents' ratings."""
    from yiwang.cobuild.ratings import get_records
    from yiwang.core.scope import get_area_prefixes

    _require_view(request.user)
    prefixes = get_area_prefixes(request.user, VIEW)
    code = request.GET.get("area") or (prefixes[0] if prefixes else "330903")
    if not user_can(request.user, VIEW, code):
        raise Http404
    return render(request, "cobuild/records.html", {"rows": get_records(code), "code": code})
