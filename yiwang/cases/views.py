"""The staff workbench for disputes: intake, queues, the case page with its actions, and documents.

Views are thin: every read goes through `Case.objects.visible_to` (out of scope is a 404), every change
calls a function of actions.py, and what an action refuses is shown on the form it came from.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.accounts.models import Grant, User
from yiwang.areas.models import Centre, Organisation, Team, TeamKind, Window
from yiwang.audit.actions import record
from yiwang.cases import actions, documents, forms, lifecycle
from yiwang.cases.court import get_courts_of
from yiwang.cases.models import CLOSED_STATUSES, Assignment, Case, Party, PartyRole, Status
from yiwang.core import calendar, registry
from yiwang.core.errors import ActionRefused, InputError
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import get_scopes, user_can
from yiwang.core.uploads import read_stored_file
from yiwang.pii import mask_address, mask_id_number, mask_name, mask_phone

PAGE_SIZE = 25
MAX_PAGE = 100_000
TOTAL_BOUND = 10_000  # the queue counts its cases up to this many

# --------------------------------------------------------------------------------------------- helpers


def _get_case(request, pk, action: str = "case.view", *, for_page: bool = False) -> Case:
    cases = Case.objects.select_related(
        "area", "centre", "registered_centre", "dispute_type", "team", "window", "owner", "lead_leader",
        "merged_into", "possible_duplicate",
    )
    if for_page:
        # What the page and its panels read many times (the parties, whether the reader mediates), read
        # once. Only for a page that changes nothing: an action locks and reads the case afresh.
        cases = cases.prefetch_related("parties", Prefetch(
            "assignments", queryset=Assignment.objects.select_related("mediator").order_by("assigned_at", "id")))
    return cases.get_visible_or_404(request.user, action, pk=pk)


# --------------------------------------------------------------------------------------------- intake


def _party_errors_to_formsets(errors: dict, formsets: dict, *, only_new: bool = False) -> dict:
    """Errors keyed "applicants[0].phone" go onto that form's field; returns what is left. With
    `only_new`, a field (or formset) that already shows an error keeps just that one."""
    rest = {}
    for key, messages_ in errors.items():
        placed = False
        for name, formset in formsets.items():
            if key == name:
                if not (only_new and formset.non_form_errors()):
                    for message in messages_:
                        formset._non_form_errors = formset.non_form_errors() + [message]
                placed = True
            elif key.startswith(f"{name}["):
                index, _dot, field = key[len(name) + 1:].partition("].")
                filled = formset.filled_forms
                if index.isdigit() and int(index) < len(filled):
                    form = filled[int(index)]
                    target = field if field in form.fields else None
                    if not (only_new and target in form.errors):
                        for message in messages_:
                            form.add_error(target, message)
                    placed = True
        if not placed:
            rest[key] = messages_
    return rest


def _show_party_problems(formsets: dict) -> None:
    """When the forms are invalid, the parties' problems (ID check character, mobile format…) too, in the
    same round as the rest, from the action's own checker rather than repeating its rules here."""
    _parties, party_errors = actions.check_parties(formsets["applicants"].get_parties(),
                                                   formsets["respondents"].get_parties())
    _party_errors_to_formsets(party_errors, formsets, only_new=True)


def _registered(form, formsets: dict, register):
    """The case `register()` (an intake action) made, or None when it refused: the refusal is placed on the
    forms, the parties' fields onto their formsets' forms and the rest onto the case's form."""
    try:
        return register()
    except InputError as error:
        rest = _party_errors_to_formsets(error.message_dict, formsets)
        if rest:
            add_refusal_to_form(form, InputError(rest))
    except ActionRefused as error:
        add_refusal_to_form(form, error)
    return None


@login_required
def intake(request):
    """Register a walk-in or phone dispute: the dispute, its applicants and respondents, in one form."""
    if not user_can(request.user, "case.intake"):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = forms.CaseIntakeForm(data, user=request.user)
    applicants = forms.ApplicantFormSet(data, prefix="app")
    respondents = forms.RespondentFormSet(data, prefix="resp")
    status = 200
    if request.method == "POST":
        valid = all([form.is_valid(), applicants.is_valid(), respondents.is_valid()])
        formsets = {"applicants": applicants, "respondents": respondents}
        if not valid:
            _show_party_problems(formsets)
        else:
            values = form.cleaned_data
            case = _registered(form, formsets, lambda: actions.do_register_case(
                by=request.user, channel=values["channel"], dispute_type=values["dispute_type"],
                area=values["area"], window=values["window"], tier=form.get_tier(), facts=values["facts"],
                claims=values["claims"],
                amount=values["amount"], people_involved=values["people_involved"],
                vessel_name=values["vessel_name"], vessel_number=values["vessel_number"],
                sea_area=values["sea_area"], applicants=applicants.get_parties(),
                respondents=respondents.get_parties(),
            ))
            if case is not None:
                messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
                duplicate = actions.get_visible_duplicate(case, request.user)
                if duplicate is not None:
                    messages.warning(request, _("It looks like case %(number)s: check whether it is the same "
                                                "dispute and merge them.") % {"number": duplicate.number})
                return redirect("cases:detail", pk=case.pk)
        status = 400
    return render(request, "cases/intake.html",
                  {"form": form, "applicants": applicants, "respondents": respondents}, status=status)


# --------------------------------------------------------------------------------------------- queues


def get_own_organisation(user) -> Organisation | None:
    """The organisation whose own cases are all that `user` sees (a bank's or a court's operator, every
    grant of theirs limited to it), or None for staff of an area."""
    scopes = get_scopes(user, "case.view")
    organisations = {organisation for _area, organisation in scopes or []}
    if not scopes or None in organisations or len(organisations) != 1:
        return None
    return Organisation.objects.filter(pk__in=organisations).first()


def _organisation_title(organisation: Organisation) -> str:
    return _("Cases of %(organisation)s") % {"organisation": organisation.name}


def _queues_for(user) -> list[dict]:
    """The queues this user can open: their own, their centres', the windows and teams around them. A
    bank's or a court's operator sees only their organisation's cases, so that is their first queue and
    the centre's windows and teams (where those cases are handled) are not offered."""
    organisation = get_own_organisation(user)
    if organisation is not None:
        return [{"key": "all", "label": _organisation_title(organisation)}, {"key": "mine", "label": _("My cases")}]
    queues = [{"key": "mine", "label": _("My cases")}]
    for centre in Centre.objects.visible_to(user, "case.view").filter(
        pk__in=user.grants.exclude(centre=None).values("centre")
    ):
        queues.append({"key": f"centre={centre.pk}", "label": centre.name})
    for window in Window.objects.visible_to(user, "case.view").filter(active=True).select_related("centre")[:30]:
        queues.append({"key": f"window={window.pk}", "label": str(window)})
    teams = Team.objects.visible_to(user, "case.view").filter(
        active=True, kind__in=[TeamKind.MEDIATION, TeamKind.MARITIME, TeamKind.ELDERS, TeamKind.SPECIALIST])
    for team in teams.filter(Q(members=user) | Q(centre__in=user.grants.values("centre"))).distinct()[:20]:
        queues.append({"key": f"team={team.pk}", "label": team.name})
    queues.append({"key": "all", "label": _("Everything in my area")})
    return queues


def _select_queue(request, cases):
    """Narrow `cases` to the queue named in the query string; returns (cases, key, title)."""
    get = request.GET
    for name, model, field in (("window", Window, "window"), ("team", Team, "team"), ("centre", Centre, "centre")):
        if get.get(name):
            target = model.objects.get_visible_or_404(request.user, "case.view", pk=get[name])
            return cases.filter(**{field: target}), f"{name}={target.pk}", str(target)
    if get.get("mediator"):
        # The queue is titled with the mediator's name: open it only for someone the reader already sees
        # (themselves, a grant in their area, or a mediator on one of their cases); anyone else is a 404.
        known = (
            Q(pk=request.user.pk)
            | Q(pk__in=Grant.objects.visible_to(request.user, "case.view").values("user_id"))
            | Q(pk__in=Assignment.objects.filter(case__in=cases).values("mediator_id"))
        )
        mediator = User.objects.filter(known, pk=get["mediator"]).first() if get["mediator"].isdigit() else None
        if mediator is None:
            raise Http404
        mine = cases.filter(assignments__mediator=mediator, assignments__recused_at__isnull=True)
        return mine, f"mediator={mediator.pk}", _("Mediator %(name)s") % {"name": mediator}
    organisation = get_own_organisation(request.user)
    if organisation is not None and get.get("queue") != "mine":
        # A bank's or a court's operator: what they see is their organisation's cases; that is their queue.
        return cases, "all", _organisation_title(organisation)
    if get.get("queue") == "all":
        return cases, "all", _("Everything in my area")
    # Default: the user's own — cases they own, or mediate.
    return cases.mine(request.user), "mine", _("My cases")


@login_required
def queue(request):
    """A queue of cases (mine, a centre's, a window's, a team's, a mediator's) with filters and search."""
    if not user_can(request.user, "case.view"):
        raise Http404
    cases = Case.objects.visible_to(request.user, "case.view")
    cases, key, title = _select_queue(request, cases)
    filters = forms.QueueFilterForm(request.GET or None)
    state = "open"
    if filters.is_valid():
        values = filters.cleaned_data
        state = values["state"] or "open"
        if values["q"]:
            cases = cases.search(values["q"])
        if values["area"]:
            cases = cases.in_area(values["area"])
        if values["dispute_type"]:
            cases = cases.filter(dispute_type=values["dispute_type"])
        if values["channel"]:
            cases = cases.filter(channel=values["channel"])
        if values["received_from"]:
            cases = cases.filter(received_at__date__gte=values["received_from"])
        if values["received_to"]:
            cases = cases.filter(received_at__date__lte=values["received_to"])
    if state == "open":
        cases = cases.open().order_by("deadline", "id")
    elif state == "overdue":
        cases = cases.overdue().order_by("deadline", "id")
    elif state == "closed":
        cases = cases.filter(status__in=CLOSED_STATUSES)
    elif state in Status.values:
        cases = cases.filter(status=state)

    # No COUNT over a large table: fetch one row more than a page to know whether there is a next one.
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    number = min(number, MAX_PAGE)  # an offset past any database integer would crash the query
    offset = (number - 1) * PAGE_SIZE
    rows = list(
        cases.select_related("dispute_type", "centre", "area", "owner")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.filter(role=PartyRole.APPLICANT)))
        [offset:offset + PAGE_SIZE + 1]
    )
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # The queue's total, counted up to a bound (a COUNT over a province's cases would be slow): past it
    # the page says "more than".
    total = cases.order_by()[:TOTAL_BOUND + 1].count() if (has_next or number > 1) else len(rows)
    today = timezone.localdate()
    for case in rows:
        # pii.view is granted on an area like any action: a reader may see more cases than names in full.
        full_pii = user_can(request.user, "pii.view", case.area_id)
        names = [p.name if full_pii else mask_name(p.name) for p in case.parties.all()]
        case.applicant_names = "、".join(names)
        case.overdue = case.is_overdue(today)
    return render(request, "cases/queue.html", {
        "cases": rows, "filters": filters, "queue_key": key, "title": title, "queues": _queues_for(request.user),
        "page_number": number, "has_next": has_next, "has_previous": number > 1,
        "total": min(total, TOTAL_BOUND), "total_more": total > TOTAL_BOUND,
        "can_intake": user_can(request.user, "case.intake"),
        "court_liaison": bool(get_courts_of(request.user)),
        # Whoever keeps the master data is reminded to enter a year's holidays before it starts.
        "years_without_holidays": calendar.get_years_without_holidays(today)
        if request.user.is_staff and user_can(request.user, "masterdata.change") else [],
        "queue_params": ("queue", "window", "team", "centre", "mediator"),
    })


# --------------------------------------------------------------------------------------------- case page

# The case page's form and button for each action it offers, from the lifecycle table (lifecycle.STEPS).
ACTION_FORMS = {step.name: (getattr(forms, step.form), step.label) for step in lifecycle.PAGE_STEPS}

def _prefetched(case: Case, relation: str) -> bool:
    return relation in getattr(case, "_prefetched_objects_cache", {})


def _party_rows(case: Case, full: bool) -> list[dict]:
    rows = []
    for party in case.parties.all():
        rows.append({
            "role": party.get_role_display(), "kind": party.kind, "name": party.name if full else mask_name(party.name),
            "id_number": party.id_number if full else mask_id_number(party.id_number),
            "phone": party.phone if full else mask_phone(party.phone),
            "address": party.address if full else mask_address(party.address),
            "credit_code": party.credit_code, "representative": party.representative,
        })
    return rows


def _render_case(request, case: Case, *, bound: tuple[str, object] | None = None, status: int = 200):
    user = request.user
    can_pii = user_can(user, "pii.view", case.area_id)
    full_pii = can_pii and request.GET.get("pii") == "full"
    if full_pii:
        # Seeing personal information in full is a deliberate, recorded act (PIPL).
        record(user, "cases.pii_viewed", case)
    available = actions.get_available_actions(case, user)
    action_forms = []
    for name in available:
        form_class, label = ACTION_FORMS[name]
        if bound and bound[0] == name:
            form = bound[1]
        else:
            form = form_class(case=case, user=user, prefix=name)
        action_forms.append({"name": name, "label": label, "form": form, "open": bool(bound and bound[0] == name)})
    timeline = []
    for event in actions.get_timeline(case):
        event.label = event.get_kind_display()  # the EventKind's label (the raw kind if unknown)
        event.from_label = Status(event.from_status).label if event.from_status in Status.values else ""
        event.to_label = Status(event.to_status).label if event.to_status in Status.values else ""
        event.other_case = event.case if event.case_id != case.pk else None
        timeline.append(event)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    today = timezone.localdate()
    return render(request, "cases/detail.html", {
        "case": case, "duplicate": actions.get_visible_duplicate(case, user),
        "parties": _party_rows(case, full_pii),
        "can_pii": can_pii, "full_pii": full_pii,
        "can_read_facts": actions.can_read_case_facts(case, user), "facts_withheld": actions.FACTS_WITHHELD,
        "action_forms": action_forms,
        "timeline": timeline,
        "assignments": case.assignments.all() if _prefetched(case, "assignments")
        else case.assignments.select_related("mediator").order_by("assigned_at", "id"),
        "sessions": case.sessions.select_related("recorded_by"),
        "agreement": agreement,
        "referrals": case.referrals.select_related("body"),
        "follow_ups": case.follow_ups.select_related("by"),
        "overdue": case.is_overdue(today),
        "can_notice": case.status not in (Status.REGISTERED, Status.NOT_ACCEPTED),
        "can_not_accepted_notice": case.status == Status.NOT_ACCEPTED and case.outcome == "not_accepted",
        "panels": get_case_panels(case, user, full_pii=full_pii),
    }, status=status)


def get_case_panels(case: Case, user, *, full_pii: bool) -> dict[str, list[dict]]:
    """The cards the apps built on cases add to the page (core.registry.case_panels), by slot, in the
    registry's order; a panel whose context is empty for this reader is left out."""
    panels: dict[str, list[dict]] = {slot: [] for slot in registry.PANEL_SLOTS}
    for panel in registry.case_panels:
        context = panel.context(case, user, full_pii=full_pii)
        if context:
            panels[panel.slot].append({"name": panel.name, "template": panel.template, "context": context})
    return panels


@login_required
def court_queue(request):
    """The court liaison's queue: the cases that concern the courts they act for (court.get_court_queue)."""
    from yiwang.cases.court import get_court_queue

    queue = get_court_queue(request.user)
    if not queue.courts:
        raise Http404
    return render(request, "cases/court_queue.html", {"queue": queue})


@login_required
def court_delegation(request):
    """A court liaison registers a delegation (委派调解) with the court's 案号: the dispute and its parties,
    as at intake (actions.do_register_delegation). Nobody who does not act for a court gets the page."""
    if not get_courts_of(request.user):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = forms.DelegationForm(data, user=request.user)
    applicants = forms.ApplicantFormSet(data, prefix="app")
    respondents = forms.RespondentFormSet(data, prefix="resp")
    status = 200
    if request.method == "POST":
        formsets = {"applicants": applicants, "respondents": respondents}
        if not all([form.is_valid(), applicants.is_valid(), respondents.is_valid()]):
            _show_party_problems(formsets)
        else:
            values = form.cleaned_data
            case = _registered(form, formsets, lambda: actions.do_register_delegation(
                by=request.user, court=values["court"], court_case_number=values["court_case_number"],
                dispute_type=values["dispute_type"], area=values["area"], facts=values["facts"],
                claims=values["claims"], amount=values["amount"], people_involved=values["people_involved"],
                vessel_name=values["vessel_name"], vessel_number=values["vessel_number"],
                sea_area=values["sea_area"], applicants=applicants.get_parties(),
                respondents=respondents.get_parties(),
            ))
            if case is not None:
                if case.just_created:
                    messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
                else:
                    messages.info(request, _("This delegation was registered before as case %(number)s.")
                                  % {"number": case.number})
                return redirect("cases:detail", pk=case.pk)
        status = 400
    return render(request, "cases/intake.html", {"form": form, "applicants": applicants,
                                                 "respondents": respondents, "delegation": True}, status=status)


@login_required
def detail(request, pk):
    """One case: its facts, parties, timeline, and exactly the actions this user may take now."""
    return _render_case(request, _get_case(request, pk, for_page=True))


ERROR_STATUS = {actions.PermissionRefused: 403, actions.StaleCase: 409, actions.IllegalTransition: 409}


@login_required
@require_POST
def act(request, pk, name):
    """Take one action on a case: bind its form, call the action, show a refusal where it belongs."""
    case = _get_case(request, pk)
    if name not in ACTION_FORMS:
        raise Http404
    form_class, label = ACTION_FORMS[name]
    form = form_class(request.POST, request.FILES, case=case, user=request.user, prefix=name)
    version = request.POST.get("version", "")
    # The version the page was read at; a missing or garbled one counts as stale, never as "latest".
    version = int(version) if version.isdigit() else -1
    if form.is_valid():
        function = getattr(actions, f"do_{name}")
        kwargs = form.kwargs()
        try:
            if name == "merge_cases":
                into = kwargs.pop("into")
                result = function(case, into=into, by=request.user, version=version, **kwargs)
            else:
                result = function(case, by=request.user, version=version, **kwargs)
        except InputError as error:
            add_refusal_to_form(form, error)
        except ActionRefused as error:
            # Not allowed now (state, permission) or someone else acted first: say so on the case page.
            add_refusal_to_messages(request, error)
            return redirect("cases:detail", pk=case.pk)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": label})
            target = result if isinstance(result, Case) and name == "merge_cases" else case
            return redirect("cases:detail", pk=target.pk)
    return _render_case(request, _get_case(request, pk), bound=(name, form), status=400)


# --------------------------------------------------------------------------------------------- documents


def _pdf_response(request, case, name: str, pdf: bytes, full_pii: bool) -> HttpResponse:
    record(request.user, "cases.document_downloaded", case, document=name, full_pii=full_pii)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{name}.pdf"'
    return response


@login_required
def acceptance_notice(request, pk):
    """受理通知书 as a PDF, once the case has been accepted."""
    case = _get_case(request, pk)
    if case.status in (Status.REGISTERED, Status.NOT_ACCEPTED):
        raise Http404
    full_pii = user_can(request.user, "pii.view", case.area_id)
    # The applicant's copy unless the copy kept on file is asked for (?copy=file).
    party_copy = request.GET.get("copy") != "file"
    pdf = documents.render_acceptance_notice(case, full_pii=full_pii, party_copy=party_copy,
                                             facts=actions.can_read_case_facts(case, request.user))
    return _pdf_response(request, case, "acceptance-notice", pdf, full_pii)


@login_required
def not_accepted_notice(request, pk):
    """不予受理告知书 as a PDF, for a case the centre did not accept (the reason, where to go instead)."""
    case = _get_case(request, pk)
    if case.status != Status.NOT_ACCEPTED or case.outcome != "not_accepted":
        raise Http404
    full_pii = user_can(request.user, "pii.view", case.area_id)
    return _pdf_response(request, case, "not-accepted-notice",
                         documents.render_not_accepted_notice(case, full_pii=full_pii), full_pii)


@login_required
def agreement(request, pk):
    """调解协议书 as a PDF, when the case has an agreement: one document at a time — the draft before it
    takes effect, the signed and sealed one after (the digitally sealed file when there is one, else the
    agreement printed with its signature block filled in from the signatures recorded)."""
    case = _get_case(request, pk)
    if not hasattr(case, "agreement"):
        raise Http404
    agreement = case.agreement
    facts = actions.can_read_case_facts(case, request.user)
    full_pii = user_can(request.user, "pii.view", case.area_id)
    if agreement.is_effective and agreement.sealed_pdf and facts and full_pii:
        # The sealed file prints every party's details and the facts in full (masking it would break its
        # seals): only for a reader with pii.view who works the case; anyone else reads it rendered, masked.
        pdf = read_stored_file(agreement.sealed_pdf)
        record(request.user, "cases.pii_viewed", case, document="signed_agreement")
        return _pdf_response(request, case, "agreement", pdf, True)
    pdf = documents.render_agreement(case, full_pii=full_pii, facts=facts)
    return _pdf_response(request, case, "agreement", pdf, full_pii)
