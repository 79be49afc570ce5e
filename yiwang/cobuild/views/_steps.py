"""One lifecycle step posted from an object's page (a demand's, a project's): the step's form checked, the
app's action called, its refusal or success shown, back to the page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_messages


def post_step(request, obj, step: str, *, steps: dict, form_class, act, detail: str):
    """`steps` is the action module's table (step → (…, …, …, label)); `act(obj, step, data, by=…)` its action."""
    if step not in steps:
        raise Http404
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(" ".join(v) for v in form.errors.values()))
        return redirect(detail, pk=obj.pk)
    try:
        act(obj, step, form.cleaned_data, by=request.user)
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": steps[step][3]})
    return redirect(detail, pk=obj.pk)
