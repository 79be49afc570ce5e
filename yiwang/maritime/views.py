"""The maritime pages: the mediator's morning page (with the fishing zones drawn from their own
coordinates), the vessel registry (search, register, import, one vessel with everything about it), the
maritime intake, the maritime card on the case page and its forms, and the agencies' task pages.

Views are thin: every read goes through `visible_to` (out of scope is a 404) and every change calls an
action of actions/, whose refusals are shown on the form they came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang import pii
from yiwang.cases.forms import ApplicantFormSet, RespondentFormSet
from yiwang.cases.models import Case
from yiwang.core import crypto
from yiwang.core.audit import record
from yiwang.core.errors import ActionRefused, InputError
from yiwang.core.forms import add_refusal_to_form, add_refusal_to_messages
from yiwang.core.scope import user_can
from yiwang.maritime import actions, forms, svg
from yiwang.maritime.actions import vessels
from yiwang.maritime.models import (
    AgencyTask,
    IncidentKind,
    MaritimeRecord,
    PositionFix,
    SeaArea,
    SeaSession,
    Service,
    TaskStatus,
    Vessel,
)

PAGE_SIZE = 50
# A vessel in this many maritime cases or more is listed among the repeated disputes.
REPEATED = 2


def _require(user, code: str) -> None:
    if not user_can(user, code):
        raise Http404


def _resolver(user):
    visible = Vessel.objects.visible_to(user, "sea.view")

    def resolve(text: str):
        # A name or an MMSI; what the registry does not hold is passed on as text and refused by the action.
        return visible.filter(Q(name=text) | Q(mmsi=text)).first() or text
    return resolve


# ----------------------------------------------------------------------------------------------- morning


def get_morning(user) -> dict:
    """The figures of the morning page, all read within the user's scope."""
    records = MaritimeRecord.objects.visible_to(user, "sea.view").filter(
        case__in=Case.objects.visible_to(user, "case.view").open().values("pk"))
    by_zone = {row["zone_id"]: row["n"] for row in records.values("zone_id").annotate(n=Count("id"))}
    kinds = dict(IncidentKind.choices)
    by_kind = [(kinds[row["incident_kind"]], row["n"]) for row in
               records.values("incident_kind").annotate(n=Count("id")).order_by("-n", "incident_kind")]
    tasks = AgencyTask.objects.visible_to(user, "sea.view")
    overdue = tasks.overdue().select_related("agency__organisation", "record__case").order_by("due")[:50]
    repeated = (Vessel.objects.visible_to(user, "sea.view").annotate(n=Count("records"))
                .filter(n__gte=REPEATED).order_by("-n", "name")[:20])
    major = (records.filter(major=True).select_related("case", "case__lead_leader", "case__centre", "sea_area")
             .order_by("case__received_at")[:20])
    return {"open": records.count(), "major": records.filter(major=True).count(), "major_cases": major,
            "by_zone": by_zone,
            "by_kind": by_kind, "overdue": overdue, "overdue_count": tasks.overdue().count(), "repeated": repeated,
            "zone_rows": [(SeaArea.objects.filter(pk=code).first(), n) for code, n in
                          sorted(by_zone.items(), key=lambda item: (-item[1], item[0] or "")) if code]}


def get_home_tile(user) -> dict | None:
    morning = get_morning(user)
    return {"open": morning["open"], "overdue": morning["overdue_count"]}


@login_required
def morning(request):
    """What the maritime mediator opens every morning."""
    _require(request.user, "sea.view")
    data = get_morning(request.user)
    data["map"] = svg.render_zones(data["by_zone"])
    data["can_intake"] = user_can(request.user, "case.intake")
    return render(request, "maritime/morning.html", data)


@login_required
def zones_svg(request):
    """The fishing zones and named waters as SVG, shaded by the reader's open cases in each zone."""
    _require(request.user, "sea.view")
    return HttpResponse(svg.render_zones(get_morning(request.user)["by_zone"], standalone=True),
                        content_type="image/svg+xml; charset=utf-8")


# ----------------------------------------------------------------------------------------------- vessels


def _masked(vessel: Vessel, full: bool) -> dict:
    """The owner's and operator's details as this reader may see them."""
    def holder(prefix):
        name = getattr(vessel, f"{prefix}_name")
        organisation = getattr(vessel, f"{prefix}_kind") == "organisation"
        return {"name": name if (full or organisation) else pii.mask_name(name),
                "id_number": getattr(vessel, f"{prefix}_id_number") if full else
                pii.mask_id_number(getattr(vessel, f"{prefix}_id_number")),
                "credit_code": getattr(vessel, f"{prefix}_credit_code"),
                "phone": getattr(vessel, f"{prefix}_phone") if full else pii.mask_phone(getattr(vessel, f"{prefix}_phone")),
                "organisation": organisation}
    return {"owner": holder("owner"), "operator": holder("operator") if vessel.operator_name else None}


@login_required
def vessel_list(request):
    """The registry: search by name, number, MMSI or owner."""
    _require(request.user, "sea.view")
    form = forms.VesselSearchForm(request.GET or None)
    qs = Vessel.objects.visible_to(request.user, "sea.view")
    if form.is_valid():
        qs = qs.search(form.cleaned_data["q"])
    page = Paginator(qs.annotate(cases=Count("records")).order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(v, _masked(v, False)) for v in page]
    return render(request, "maritime/vessel_list.html", {
        "form": form, "page": page, "rows": rows, "can_register": user_can(request.user, "sea.register")})


@login_required
def vessel_new(request):
    _require(request.user, "sea.register")
    form = forms.VesselForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vessel = actions.do_register_vessel(by=request.user, **form.cleaned_data)
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Vessel %(name)s registered.") % {"name": vessel.name})
            return redirect("maritime:vessel_detail", pk=vessel.pk)
    return render(request, "maritime/vessel_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def vessel_edit(request, pk: int):
    """Correct a vessel's entry; the version read guards against overwriting someone else's change."""
    vessel = Vessel.objects.select_related("area").get_visible_or_404(request.user, "sea.view", pk=pk)
    if not user_can(request.user, "sea.register", vessel.area_id):
        raise Http404
    full = user_can(request.user, "pii.view", vessel.area_id)
    initial = {name: getattr(vessel, name) for name in forms.VesselForm.base_fields}
    initial["version"] = vessel.version
    form = forms.VesselEditForm(request.POST or None, initial=initial, vessel=vessel, full_pii=full)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_vessel(vessel, by=request.user, version=form.cleaned_data["version"], **form.values())
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("The entry of %(name)s is corrected.") % {"name": vessel.name})
            return redirect("maritime:vessel_detail", pk=vessel.pk)
    elif request.method != "POST" and full:
        record(request.user, "maritime.pii_viewed", vessel, purpose="edit")
    return render(request, "maritime/vessel_form.html", {"form": form, "vessel": vessel},
                  status=400 if form.errors else 200)


@login_required
def vessel_import(request):
    """Register or update vessels from a CSV file: all or nothing, errors by line."""
    _require(request.user, "sea.register")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            result = actions.do_import_vessels(text, by=request.user)
        except UnicodeDecodeError:
            form.add_error("file", _("The file must be UTF-8 text (save it from the spreadsheet as CSV UTF-8)."))
        except InputError as error:
            for key, lines in error.message_dict.items():
                form.add_error(None, f"{key}: {' '.join(lines)}")
        else:
            messages.success(request, _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                             % result)
            return redirect("maritime:vessel_list")
    return render(request, "maritime/vessel_import.html", {
        "form": form, "result": result, "required_columns": vessels.CSV_COLUMNS,
        "optional_columns": [name for name in vessels.FIELDS if name not in vessels.CSV_COLUMNS]},
                  status=400 if form.errors else 200)


def get_holder_cases(vessel: Vessel, user):
    """The cases the reader may see in which the vessel's owner or operator is a party (by ID number or
    credit code), e.g. a crew's wage claim against the owner filed without naming the boat."""
    from yiwang.cases.models import Party

    keys = Q(pk__in=[])
    for value in (vessel.owner_id_number, vessel.operator_id_number):
        if value:
            keys |= crypto.match("id_number", value)
    for value in (vessel.owner_credit_code, vessel.operator_credit_code):
        if value:
            keys |= Q(credit_code=value)
    return (Case.objects.visible_to(user, "case.view").filter(pk__in=Party.objects.filter(keys).values("case_id"))
            .select_related("dispute_type").order_by("-received_at"))


@login_required
def vessel_detail(request, pk: int):
    """Everything about a vessel in one place: owner and operator, crew, its cases (the vessels involved
    in an incident, and those where its owner or operator is a party), the agencies' tasks, the services
    and the sessions at sea on them, and what other apps register for the page (the warnings)."""
    vessel = Vessel.objects.select_related("area").get_visible_or_404(request.user, "sea.view", pk=pk)
    can_pii = user_can(request.user, "pii.view", vessel.area_id)
    full = can_pii and request.GET.get("pii") == "full"
    if full:
        record(request.user, "maritime.pii_viewed", vessel)
    crew_form = forms.CrewForm(request.POST or None) if user_can(request.user, "sea.register", vessel.area_id) \
        else None
    if request.method == "POST":
        if crew_form is None:
            raise Http404
        if crew_form.is_valid():
            try:
                actions.do_add_crew_member(vessel, by=request.user, **crew_form.cleaned_data)
            except ActionRefused as error:
                add_refusal_to_form(crew_form, error)
            else:
                messages.success(request, _("Crew member added."))
                return redirect("maritime:vessel_detail", pk=vessel.pk)
    visible_cases = Case.objects.visible_to(request.user, "case.view").values("pk")
    records = (vessel.records.filter(case__in=visible_cases)
               .select_related("case", "case__dispute_type", "sea_area").order_by("-case__received_at"))
    tasks = AgencyTask.objects.visible_to(request.user, "sea.view").filter(record__in=records) \
        .select_related("agency__organisation", "record__case")
    services = Service.objects.visible_to(request.user, "sea.view").filter(record__in=records) \
        .select_related("record__case")
    owner_cases = get_holder_cases(vessel, request.user).exclude(pk__in=records.values("case_id"))
    sessions = SeaSession.objects.visible_to(request.user, "sea.view").filter(vessel=vessel, record__in=records) \
        .select_related("scheduled", "record__case")
    crew = [{"member": m, "name": m.name if full else pii.mask_name(m.name)} for m in vessel.crew.all()]
    return render(request, "maritime/vessel_detail.html", {
        "vessel": vessel, "holders": _masked(vessel, full), "crew": crew, "records": records, "tasks": tasks,
        "services": services, "sessions": sessions, "owner_cases": owner_cases, "crew_form": crew_form,
        "positions": PositionFix.objects.visible_to(request.user, "sea.view").filter(vessel=vessel, record__in=records)
        .select_related("zone", "sea_area", "vessel"), "can_pii": can_pii, "full_pii": full,
        "without_contract": sum(1 for m in vessel.crew.all() if not m.written_contract),
        "can_edit": crew_form is not None,
    }, status=400 if crew_form is not None and crew_form.errors else 200)


# ----------------------------------------------------------------------------------------------- intake


@login_required
def intake(request):
    """Register a dispute at sea: the case (through the cases app's intake) and its maritime record in
    one transaction; the land division comes from the sea area."""
    from yiwang.cases.views import _party_errors_to_formsets

    if not (user_can(request.user, "case.intake") and user_can(request.user, "sea.view")):
        raise Http404
    from django.conf import settings

    data = request.POST if request.method == "POST" else None
    form = forms.MaritimeIntakeForm(data, district=settings.YIWANG_DISTRICT)
    applicants = ApplicantFormSet(data, prefix="app")
    respondents = RespondentFormSet(data, prefix="resp")
    if request.method == "POST" and all([form.is_valid(), applicants.is_valid(), respondents.is_valid()]):
        values = form.cleaned_data
        try:
            case = actions.do_register_maritime_case(
                by=request.user, channel=values["channel"], dispute_type=values["dispute_type"],
                facts=values["facts"], claims=values["claims"], amount=values["amount"],
                applicants=applicants.get_parties(), respondents=respondents.get_parties(),
                lead_leader=values["lead_leader"], other_vessel=values["other_vessel"],
                referred_by=values["referred_by"],
                **form.details(_resolver(request.user)))
        except InputError as error:
            rest = _party_errors_to_formsets(error.message_dict, {"applicants": applicants, "respondents": respondents})
            if rest:
                add_refusal_to_form(form, InputError(rest))
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    invalid = bool(form.errors or applicants.total_error_count() or respondents.total_error_count())
    return render(request, "maritime/intake.html", {"form": form, "applicants": applicants,
                                                    "respondents": respondents}, status=400 if invalid else 200)


# ----------------------------------------------------------------------------------------------- the case page


def get_case_panel(case: Case, user, *, full_pii: bool = False) -> dict | None:
    """The maritime card of the case page: the record, the tasks and services this reader may see, and
    the forms they may use (each action checks again)."""
    if not case.dispute_type.maritime or not user_can(user, "sea.view", case.area_id):
        return None
    record_ = MaritimeRecord.objects.filter(case=case).select_related("sea_area", "zone",
                                                                      "referred_by__organisation").first()
    coordinate = user_can(user, "sea.coordinate", case.area_id)
    panel = {"record": record_, "can_record": can_record_details(case, user)}
    if record_ is None:
        return panel
    panel.update({
        "vessels": Vessel.objects.visible_to(user, "sea.view").filter(records=record_),
        "tasks": AgencyTask.objects.visible_to(user, "sea.view").filter(record=record_)
        .select_related("agency__organisation"),
        "services": Service.objects.visible_to(user, "sea.view").filter(record=record_),
        "today": timezone.localdate(),
    })
    if coordinate and case.is_open:
        panel["task_form"] = forms.TaskForm()
        panel["service_form"] = forms.ServiceForm()
        if not record_.major:
            panel["major_form"] = forms.MajorForm(area_code=case.area_id, initial={"version": record_.version})
    if coordinate or user_can(user, "case.mediate", case.area_id):
        panel["can_end_service"] = True
    _add_sessions(panel, record_, case, user)
    panel["positions"] = PositionFix.objects.visible_to(user, "sea.view").filter(record=record_) \
        .select_related("vessel", "zone", "sea_area")
    if case.is_open and panel["vessels"] and (coordinate or user_can(user, "case.mediate", case.area_id)):
        panel["position_form"] = forms.PositionForm(vessels=panel["vessels"])
    return panel


def _add_sessions(panel: dict, record_: MaritimeRecord, case: Case, user) -> None:
    """The sessions at sea of the case, and for its mediator the forms to schedule and record them."""
    from yiwang.cases.models import Status
    from yiwang.online.actions import is_mediator

    now = timezone.now()
    sessions = list(SeaSession.objects.visible_to(user, "sea.view").filter(record=record_)
                    .select_related("scheduled", "held", "vessel", "sea_area"))
    mediates = case.is_open and is_mediator(user, case)
    for session in sessions:
        session.may_record = (mediates and case.status == Status.MEDIATING and session.held_id is None
                              and session.scheduled.cancelled_at is None and session.scheduled.starts_at <= now)
    panel["sea_sessions"] = sessions
    if mediates:
        panel["sea_session_form"] = forms.SeaSessionForm(initial={"version": case.version})


def _get_record(request, pk: int) -> MaritimeRecord:
    case = Case.objects.get_visible_or_404(request.user, "case.view", pk=pk)
    try:
        return MaritimeRecord.objects.visible_to(request.user, "sea.view").get(case=case)
    except MaritimeRecord.DoesNotExist:
        raise Http404 from None


def can_record_details(case: Case, user) -> bool:
    """Whether the user may write the maritime record of the case (the action checks again)."""
    return (case.dispute_type.maritime and user_can(user, "sea.view", case.area_id)
            and any(user_can(user, code, case.area_id) for code in ("sea.coordinate", "case.intake")))


@login_required
def record_details(request, pk: int):
    """Write or correct the maritime record of a maritime case (e.g. one filed online)."""
    case = Case.objects.select_related("dispute_type").get_visible_or_404(request.user, "case.view", pk=pk)
    if not can_record_details(case, request.user):
        raise Http404
    existing = MaritimeRecord.objects.filter(case=case).first()
    initial = {}
    if existing is not None:
        initial = {field: getattr(existing, field) for field in (
            "incident_kind", "occurred_at", "latitude", "longitude", "injured", "dead", "crew_involved",
            "loss_amount", "insured", "insurance_note")}
        initial["sea_area"] = existing.sea_area_id
        initial["vessels"] = ", ".join(existing.vessels.values_list("name", flat=True))
    form = forms.SeaFactsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_maritime_details(case, by=request.user, version=request.POST.get("version") or None,
                                               **form.details(_resolver(request.user)))
        except ActionRefused as error:
            add_refusal_to_form(form, error)
        else:
            messages.success(request, _("Maritime details recorded."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "maritime/record_form.html", {"form": form, "case": case, "record": existing},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def record_step(request, pk: int, step: str):
    """One of the maritime card's forms: give a task, attach a service, end one, mark the dispute major."""
    record_ = _get_record(request, pk)
    case = record_.case
    try:
        with transaction.atomic():
            if step == "task":
                form = forms.TaskForm(request.POST)
                if form.is_valid():
                    actions.do_give_task(record_, by=request.user, **form.cleaned_data)
            elif step == "service":
                form = forms.ServiceForm(request.POST)
                if form.is_valid():
                    actions.do_attach_service(record_, by=request.user, **form.cleaned_data)
            elif step == "service_outcome":
                form = forms.ServiceOutcomeForm(request.POST)
                if form.is_valid():
                    values = dict(form.cleaned_data)
                    service = Service.objects.filter(record=record_, pk=values.pop("service")).first()
                    if service is None:
                        raise Http404
                    actions.do_record_service_outcome(service, by=request.user, **values)
            elif step == "sea_session":
                form = forms.SeaSessionForm(request.POST)
                if form.is_valid():
                    actions.do_schedule_sea_session(record_, by=request.user, **form.cleaned_data)
            elif step == "sea_session_record":
                form = forms.SeaSessionRecordForm(request.POST)
                if form.is_valid():
                    values = dict(form.cleaned_data)
                    session = SeaSession.objects.filter(record=record_, pk=values.pop("session")).first()
                    if session is None:
                        raise Http404
                    actions.do_record_sea_session(session, by=request.user, **values)
            elif step == "position":
                form = forms.PositionForm(request.POST, vessels=record_.vessels.all())
                if form.is_valid():
                    actions.do_record_position(record_, by=request.user, **form.values())
            elif step == "major":
                form = forms.MajorForm(request.POST, area_code=case.area_id)
                if form.is_valid():
                    actions.do_mark_major(record_, by=request.user, **form.cleaned_data)
            else:
                raise Http404
    except ActionRefused as error:
        add_refusal_to_messages(request, error)
    else:
        if form.errors:
            messages.error(request, " ".join(str(m) for ms in form.errors.values() for m in ms))
        else:
            messages.success(request, _("Done."))
    return redirect(f"/cases/{case.pk}/#maritime")


# ----------------------------------------------------------------------------------------------- tasks


@login_required
def task_list(request):
    """The agencies' tasks the reader may see: an agency officer, its own; the centre, all in its area."""
    _require(request.user, "sea.view")
    tasks = AgencyTask.objects.visible_to(request.user, "sea.view").select_related(
        "agency__organisation", "record__case", "record__sea_area")
    state = request.GET.get("state", "open")
    if state == "open":
        tasks = tasks.filter(status=TaskStatus.OPEN)
    elif state == "overdue":
        tasks = tasks.overdue()
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "maritime/task_list.html", {"page": page, "state": state, "today": timezone.localdate()})


@login_required
def task_detail(request, pk: int):
    """One task, with what the agency needs to know of its case, and the form to report it done."""
    task = AgencyTask.objects.select_related("agency__organisation", "record__case__dispute_type",
                                             "record__sea_area").get_visible_or_404(request.user, "sea.view", pk=pk)
    vessels = Vessel.objects.visible_to(request.user, "sea.view").filter(records=task.record)
    posting_position = request.method == "POST" and request.POST.get("step") == "position"
    form = forms.CompleteTaskForm(request.POST if request.method == "POST" and not posting_position else None,
                                  initial={"version": task.version})
    position_form = forms.PositionForm(request.POST if posting_position else None, vessels=vessels)
    if posting_position:
        if position_form.is_valid():
            try:
                actions.do_record_position(task.record, by=request.user, task=task, **position_form.values())
            except ActionRefused as error:
                add_refusal_to_form(position_form, error)
            else:
                messages.success(request, _("Position recorded."))
                return redirect("maritime:task_detail", pk=task.pk)
    elif request.method == "POST":
        if form.is_valid():
            try:
                actions.do_complete_task(task, by=request.user, outcome=form.cleaned_data["outcome"],
                                         version=form.cleaned_data["version"])
            except ActionRefused as error:
                add_refusal_to_form(form, error)
            else:
                messages.success(request, _("Task reported done."))
                return redirect("maritime:task_detail", pk=task.pk)
    can_open_case = Case.objects.visible_to(request.user, "case.view").filter(pk=task.record.case_id).exists()
    return render(request, "maritime/task_detail.html", {
        "task": task, "form": form if task.status == TaskStatus.OPEN else None, "vessels": vessels,
        "positions": PositionFix.objects.filter(task=task).select_related("vessel", "zone"),
        "position_form": position_form if task.status == TaskStatus.OPEN and vessels else None,
        "can_open_case": can_open_case, "today": timezone.localdate(),
    }, status=400 if form.errors or position_form.errors else 200)


