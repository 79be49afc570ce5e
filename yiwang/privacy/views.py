"""The personal-data request pages: find a person by ID number or mobile number, download everything about
them (JSON), correct a party's details. Thin: each calls one action; out of scope is a 404."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.cases.models import Case, Party
from yiwang.core.errors import ActionRefused
from yiwang.core.scope import user_can
from yiwang.privacy import actions


def _require(user) -> None:
    if not user_can(user, actions.REQUEST):
        raise PermissionDenied


def _identifier(data) -> dict:
    return {"id_number": data.get("id_number", "")[:18], "phone": data.get("phone", "")[:20]}


@login_required
def requests_page(request):
    """The form; with an identifier, the person's party records, each with its correction form."""
    _require(request.user)
    identifier, parties, errors = _identifier(request.GET), None, {}
    if any(identifier.values()):
        try:
            parties = actions.do_search_person(by=request.user, **identifier)
        except ActionRefused as refusal:
            errors = refusal.message_dict
    return render(request, "privacy/requests.html", {
        "identifier": identifier, "parties": parties, "errors": errors, "query": urlencode(identifier)})


@login_required
@require_POST
def export(request):
    _require(request.user)
    try:
        data = actions.do_export_person(by=request.user, **_identifier(request.POST))
    except ActionRefused as refusal:
        messages.error(request, " ".join(m for ms in refusal.message_dict.values() for m in ms))
        return redirect("privacy:requests")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response


@login_required
@require_POST
def correct(request, pk):
    # No permission check first: a party outside what the reader handles is a 404, like a missing one.
    visible = Case.objects.visible_to(request.user, actions.REQUEST)
    party = Party.objects.filter(pk=pk, case__in=visible).select_related("case").first()
    if party is None:
        raise Http404
    changes = {name: request.POST[name] for name in actions.CORRECTABLE if name in request.POST}
    try:
        actions.do_correct_party(party, by=request.user, reason=request.POST.get("reason", ""), **changes)
        messages.success(request, _("The party's details were corrected."))
    except ActionRefused as refusal:
        messages.error(request, " ".join(m for ms in refusal.message_dict.values() for m in ms))
    back = request.POST.get("back", "")
    return redirect(f"{reverse('privacy:requests')}?{back}" if back and "//" not in back else "privacy:requests")
