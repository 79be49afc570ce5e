"""The inbox pages: /notifications/ (the list, read and unread, mark all read), /notifications/<id>/
(open one: marked read, then on to what it is about), /notifications/preferences/ (channels per kind and
subscriptions), following a case from its page, and the public status look-up /status/. Thin views over
actions.py and lookup.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area, DisputeType
from yiwang.cases.models import Case
from yiwang.core.errors import ActionRefused
from yiwang.core.forms import add_refusal_to_messages
from yiwang.notifications import actions, lookup
from yiwang.notifications.delivery import get_channels
from yiwang.notifications.kinds import CHANNELS, KINDS, KINDS_IN_ORDER, OPTIONAL_CHANNELS
from yiwang.notifications.models import ChannelPreference, InboxItem, Subscription

PAGE_SIZE = 50


@login_required
def inbox(request):
    items = InboxItem.objects.visible_to(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        items = items.unread()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
def open_item(request, pk: int):
    """Open one of my notices: it is read now, and I land on what it is about."""
    item = get_object_or_404(InboxItem.objects.visible_to(request.user), pk=pk)
    actions.do_mark_read(item, by=request.user)
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts=None):
        return redirect(item.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = actions.do_mark_all_read(by=request.user)
    messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("form") == "follow":
                area = get_object_or_404(Area, code=request.POST.get("area", ""))
                code = request.POST.get("dispute_type") or ""
                dispute_type = get_object_or_404(DisputeType, code=code) if code else None
                actions.do_follow_area(area, by=user, dispute_type=dispute_type)
                messages.success(request, _("You follow new cases in %(area)s.") % {"area": area.name})
            elif request.POST.get("form") == "unfollow":
                actions.do_unfollow(get_object_or_404(Subscription, pk=request.POST.get("subscription"), user=user),
                                    by=user)
            else:
                choices = {(kind.code, channel): f"{kind.code}:{channel}" in request.POST
                           for kind in KINDS_IN_ORDER for channel in OPTIONAL_CHANNELS}
                actions.do_set_channels(by=user, choices={
                    key: value for key, value in choices.items() if value or key[1] not in KINDS[key[0]].required})
                messages.success(request, _("Your choices were saved."))
            return redirect("notifications:preferences")
        except ActionRefused as refusal:
            add_refusal_to_messages(request, refusal)
    chosen: dict = {}
    for pref in ChannelPreference.objects.filter(user=user):
        chosen.setdefault(pref.kind, {})[pref.channel] = pref.enabled
    rows = [(kind, [(channel, channel in get_channels(user, kind.code, chosen.get(kind.code, {})),
                     channel in kind.required, CHANNELS[channel]) for channel in OPTIONAL_CHANNELS])
            for kind in KINDS_IN_ORDER]
    return render(request, "notifications/preferences.html", {
        "rows": rows, "channels": [CHANNELS[c] for c in OPTIONAL_CHANNELS],
        "subscriptions": Subscription.objects.filter(user=user).select_related("case", "area", "dispute_type"),
        "dispute_types": DisputeType.objects.order_by("code"),
    })


@login_required
@require_POST
def follow_case(request, pk: int):
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    try:
        if request.POST.get("follow") == "0":
            actions.do_unfollow_case(case, by=request.user)
            messages.success(request, _("You no longer follow case %(number)s.") % {"number": case.number})
        else:
            actions.do_follow_case(case, by=request.user)
            messages.success(request, _("You follow case %(number)s.") % {"number": case.number})
    except ActionRefused as refusal:
        add_refusal_to_messages(request, refusal)
    return redirect("cases:detail", pk=case.pk)


def status_lookup(request):
    """Public: case number + mobile + code → how the case stands."""
    result, sent = None, False
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            if request.POST.get("step") == "send":
                lookup.do_request_status_code(data.get("number", ""), data.get("phone", ""))
                sent = True
            else:
                result = lookup.do_lookup_status(data.get("number", ""), data.get("phone", ""), data.get("code", ""))
        except ActionRefused as refusal:
            add_refusal_to_messages(request, refusal)
    return render(request, "notifications/status.html", {
        "result": result, "sent": sent, "number": data.get("number", ""), "phone": data.get("phone", "")})

