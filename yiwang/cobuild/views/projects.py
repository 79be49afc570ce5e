"""The project pages: plan a project, and its page with the steps its lead unit and the office take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.cobuild import projects as project_actions
from yiwang.cobuild.forms import ProjectForm, ProjectStepForm
from yiwang.cobuild.models import Project, ReportPhoto
from yiwang.cobuild.views._steps import post_step
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_form
from yiwang.core.scope import user_can

VIEW = "cobuild.view"


@login_required
def project_new(request):
    """The co-building office plans a joint project."""
    if not user_can(request.user, "cobuild.manage"):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, choices=project_actions.get_plan_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            project = project_actions.do_plan_project(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Project planned."))
            return redirect("cobuild:project_detail", pk=project.pk)
    return render(request, "cobuild/form.html", {"form": form, "title": _("Plan a project"),
                                                 "button": _("Plan"), "multipart": False})


@login_required
def project_detail(request, pk):
    project = Project.objects.select_related("area", "lead").get_visible_or_404(request.user, VIEW, pk=pk)
    milestones = list(project.milestones.all())
    photos = {}
    for photo in ReportPhoto.objects.filter(milestone__project=project):
        photos.setdefault(photo.milestone_id, []).append(photo)
    steps = project_actions.get_available_steps(request.user, project)
    return render(request, "cobuild/project_detail.html", {
        "project": project, "milestones": [(m, photos.get(m.pk, [])) for m in milestones],
        "open_milestones": [m for m in milestones if not m.done_on],
        "steps": [(s, project_actions.STEPS[s][3]) for s in steps],
        "demands": project.demands.visible_to(request.user, VIEW), "resources": project.resources.all(),
    })


@login_required
@require_POST
def project_step(request, pk, step):
    project = Project.objects.get_visible_or_404(request.user, VIEW, pk=pk)
    return post_step(request, project, step, steps=project_actions.STEPS, form_class=ProjectStepForm,
                     act=project_actions.do_project_step, detail="cobuild:project_detail")
