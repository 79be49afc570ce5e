"""The 公益创投 pages: a district or street office opens a call, closes it for review and decides it; a
social organisation applies and reports; panel members score or declare a conflict; the office funds,
pays tranches and evaluates. The public results page is in the package's __init__."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area
from yiwang.cobuild import venture
from yiwang.cobuild.actions import get_acting_organisations
from yiwang.cobuild.forms import ApplicationStepForm, ApplyForm, CallForm
from yiwang.cobuild.models import CallState, SocialOrganisation, SocialStatus, VentureApplication, VentureCall
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import area_q, get_area_prefixes, user_can

VIEW, MANAGE = "cobuild.view", "cobuild.manage"


def _calls_for(user):
    """The calls a reader sees: those of their scope, and those whose panel they sit on."""
    visible = VentureCall.objects.visible_to(user, VIEW)
    return VentureCall.objects.filter(Q(pk__in=visible.values("pk")) | Q(reviewers=user.pk)).distinct()


def _application_for(user, pk):
    visible = VentureApplication.objects.visible_to(user, VIEW)
    application = (VentureApplication.objects.filter(Q(pk__in=visible.values("pk")) | Q(call__reviewers=user.pk))
                   .select_related("call", "applicant__organisation").filter(pk=pk).first())
    if application is None:
        raise Http404
    return application


@login_required
def call_list(request):
    calls = _calls_for(request.user)
    if not (user_can(request.user, VIEW) or calls.exists()):
        raise PermissionDenied
    return render(request, "cobuild/call_list.html", {
        "calls": calls.select_related("area").order_by("-opens_on", "-id")[:100],
        "can_open": user_can(request.user, MANAGE),
    })


def _panel_candidates(user):
    """Who may sit on a panel the user forms: active people holding a grant in the user's own areas."""
    User = get_user_model()
    prefixes = get_area_prefixes(user, MANAGE)
    if prefixes is None:
        return User.objects.filter(is_active=True).order_by("username")
    return (User.objects.filter(is_active=True).filter(area_q("grants__area__code", prefixes))
            .distinct().order_by("username"))


@login_required
def call_new(request):
    if not user_can(request.user, MANAGE):
        raise PermissionDenied
    form = CallForm(request.POST or None, areas=Area.objects.visible_to(request.user, MANAGE).filter(
        level__in=["county", "township"]), reviewers=_panel_candidates(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            call = venture.do_open_call(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("The call is open for applications."))
            return redirect("cobuild:call_detail", pk=call.pk)
    return render(request, "cobuild/form.html", {"form": form, "title": _("Open a call for proposals"),
                                                 "button": _("Open the call")})


def _applicants(user):
    return SocialOrganisation.objects.filter(organisation_id__in=get_acting_organisations(user),
                                             status__in=[SocialStatus.ACTIVE, SocialStatus.INCUBATING])


@login_required
def call_detail(request, pk):
    call = _calls_for(request.user).filter(pk=pk).select_related("area").first()
    if call is None:
        raise Http404
    office = user_can(request.user, MANAGE, call.area_id)
    visible = VentureApplication.objects.visible_to(request.user, VIEW)
    if venture.is_reviewer(request.user, call):
        visible = VentureApplication.objects.all()
    return render(request, "cobuild/call_detail.html", {
        "call": call, "office": office, "applications": visible.filter(call=call).select_related(
            "applicant__organisation"),
        "can_apply": call.state == CallState.OPEN and (request.user.is_superuser or _applicants(request.user).exists()),
        "reviewers": call.reviewers.all(),
    })


@login_required
@require_POST
def call_step(request, pk, step):
    call = _calls_for(request.user).filter(pk=pk).first()
    if call is None or step not in ("close", "decide"):
        raise Http404
    try:
        (venture.do_close_call if step == "close" else venture.do_decide_call)(call, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("The call is closed for applications: the panel reviews them.")
                         if step == "close" else _("The call is decided; its results are public."))
    return redirect("cobuild:call_detail", pk=pk)


@login_required
def call_apply(request, pk):
    call = VentureCall.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    applicants = (SocialOrganisation.objects.filter(status__in=[SocialStatus.ACTIVE, SocialStatus.INCUBATING])
                  if request.user.is_superuser else _applicants(request.user))
    if not applicants.exists():
        raise PermissionDenied
    form = ApplyForm(request.POST or None, applicants=applicants.select_related("organisation"))
    if request.method == "POST" and form.is_valid():
        try:
            application = venture.do_apply(call, by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Application submitted."))
            return redirect("cobuild:application_detail", pk=application.pk)
    return render(request, "cobuild/form.html", {"form": form, "title": _("Apply: %(call)s") % {"call": call.title},
                                                 "button": _("Submit the application")})


@login_required
def application_detail(request, pk):
    application = _application_for(request.user, pk)
    office = user_can(request.user, MANAGE, application.area_id)
    own_review = application.reviews.filter(reviewer=request.user.pk).first()
    steps = venture.get_available_application_steps(request.user, application)
    return render(request, "cobuild/application_detail.html", {
        "application": application, "call": application.call,
        "steps": [(s, venture.APPLICATION_STEPS[s]) for s in steps], "own_review": own_review,
        "reviews": application.reviews.select_related("reviewer") if office else (),
        "panel_score": venture.get_review_score(application),
        "tranches": application.tranches.all(), "criteria": application.call.criteria,
    })


@login_required
@require_POST
def application_step(request, pk, step):
    application = _application_for(request.user, pk)
    if step not in venture.APPLICATION_STEPS:
        raise Http404
    form = ApplicationStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect("cobuild:application_detail", pk=pk)
    data = dict(form.cleaned_data)
    if step == "midterm" and not request.POST.get("passed"):
        data["passed"] = None
    data["scores"] = {c["code"]: request.POST.get(f"score_{c['code']}") for c in application.call.criteria}
    try:
        venture.do_application_step(application, step, data, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": venture.APPLICATION_STEPS[step]})
    return redirect("cobuild:application_detail", pk=pk)
