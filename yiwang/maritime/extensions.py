"""What the maritime app adds to the apps below it, registered from MaritimeConfig.ready(): the cases an
agency has tasks on count as the agency's own for its officers' organisation-limited grants
(core.registry.organisation_cases), the maritime card on the case page (case_panels), the vessels and the
sea area in the case API (case_api_fields), what a party sees of the sea on their private page
(page_panels "online.party"), the morning tile on the home page (home_tiles), and the vessel
and sea-area fields of the staff intake form (form_snippets), shown only for maritime dispute types."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yiwang.core import hooks, registry
from yiwang.core.fields import TextField
from yiwang.core.scope import user_can


def _agency_cases(organisation_id: int):
    from yiwang.maritime.models import agency_case_q

    return agency_case_q(organisation_id)


def get_case_panel(case, user, *, full_pii: bool = False):
    """The maritime record of `case` as this reader may see it, with the forms they may use; None for a
    case that is not maritime, or a reader without sea.view."""
    from yiwang.maritime.views import get_case_panel as build

    return build(case, user, full_pii=full_pii)


def get_home_tile(user):
    from yiwang.maritime.views import get_home_tile as build

    return build(user) if user_can(user, "sea.view") else None


def get_party_panel(case, user):
    """What a party sees of the sea on their private page (the online view has proven them): the
    incident, the sea area and the vessels' names, the sessions by video or on board still to come, and
    the services attached for them with their outcome. None for a case on land or without a record."""
    from django.utils import timezone

    from yiwang.maritime.models import MaritimeRecord, SeaSession

    if not case.dispute_type.maritime:
        return None
    record = MaritimeRecord.objects.filter(case=case).select_related("sea_area").first()
    if record is None:
        return None
    sessions = SeaSession.objects.filter(record=record, held__isnull=True, scheduled__cancelled_at__isnull=True,
                                         scheduled__starts_at__gte=timezone.now()).select_related("scheduled", "vessel")
    return {"record": record, "vessels": [v.name for v in record.vessels.all()], "sessions": list(sessions),
            "services": list(record.services.all())}


def get_intake_fields(request):
    """What the staff intake form's maritime fields need: the maritime types' ids, and whether the type
    chosen (on a form sent back with errors) is one on land, so that they start hidden."""
    from django.urls import reverse

    from yiwang.areas.models import DisputeType

    types = [str(pk) for pk in DisputeType.objects.filter(active=True, maritime=True).values_list("pk", flat=True)]
    if not types:
        return None
    chosen = str((request.POST if request is not None and request.method == "POST" else {}).get("dispute_type", ""))
    user = getattr(request, "user", None)
    may_use_sea_intake = user is not None and user_can(user, "case.intake") and user_can(user, "sea.view")
    return {"types": ",".join(types), "hide": bool(chosen) and chosen not in types,
            "intake_url": reverse("maritime:intake") if may_use_sea_intake else ""}


class VesselRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = TextField()
    mmsi = TextField()


class SeaAreaRefSerializer(serializers.Serializer):
    code = TextField()
    name = TextField()
    kind = TextField()
    zone = TextField(allow_null=True)
    handling_area = TextField(source="handling_area_id")


@extend_schema_field(VesselRefSerializer(many=True))
class VesselsField(serializers.Field):
    """The registry's vessels involved in a maritime case (empty for any other case)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, help_text="Vessels involved (maritime cases).")
        super().__init__(**kwargs)

    def to_representation(self, case):
        record = getattr(case, "maritime", None) if hasattr(case, "maritime") else None
        if record is None:
            return []
        return [{"id": v.pk, "name": v.name, "mmsi": v.mmsi} for v in record.vessels.all()]


@extend_schema_field(SeaAreaRefSerializer(allow_null=True))
class SeaAreaField(serializers.Field):
    """The sea area of a maritime case, with its fishing zone and the land area that handles it."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True, allow_null=True, help_text="Where at sea (maritime cases).")
        super().__init__(**kwargs)

    def to_representation(self, case):
        record = getattr(case, "maritime", None) if hasattr(case, "maritime") else None
        if record is None or record.sea_area is None:
            return None
        area = record.sea_area
        return {"code": area.code, "name": area.name, "kind": area.kind,
                "zone": record.zone_id, "handling_area": area.handling_area_id}


def anonymise_maritime_records(case, redact) -> None:
    """privacy.retention: the maritime record's, its agency tasks' and services' texts, redacted as the
    case's are; the counts (kind, place, people, losses) stay. Vessels and crew are the registry's, not
    the case's: they are kept."""
    from yiwang.maritime.models import AgencyTask, MaritimeRecord, Service

    for record in MaritimeRecord.objects.filter(case=case):
        MaritimeRecord.objects.filter(pk=record.pk).update(
            insurance_note=redact(record.insurance_note), major_reason=redact(record.major_reason))
        for task in AgencyTask.objects.filter(record=record):
            AgencyTask.objects.filter(pk=task.pk).update(title=redact(task.title), outcome=redact(task.outcome))
        for service in Service.objects.filter(record=record):
            Service.objects.filter(pk=service.pk).update(note=redact(service.note), outcome=redact(service.outcome))


def register() -> None:
    hooks.case_anonymised.connect(anonymise_maritime_records)
    registry.organisation_cases.register(registry.OrganisationCases(name="maritime.agency_tasks", q=_agency_cases))
    registry.case_panels.register(registry.CasePanel(
        name="maritime.record", template="maritime/_case_panel.html", context=get_case_panel, slot="main", order=20))
    registry.case_api_fields.register(registry.CaseApiField(
        name="vessels", field=VesselsField, select_related=("maritime",), order=30))
    registry.case_api_fields.register(registry.CaseApiField(
        name="sea_area", field=SeaAreaField, select_related=("maritime__sea_area",), order=31))
    registry.page_panels.register(registry.PagePanel(
        name="maritime.party", page="online.party", template="maritime/_party_panel.html", context=get_party_panel))
    registry.form_snippets.register(registry.FormSnippet(
        name="maritime.intake_fields", form="cases.intake.after", template="maritime/_intake_fields.html",
        context=get_intake_fields))
    registry.home_tiles.register(registry.HomeTile(
        name="maritime.morning", template="maritime/_home_tile.html", context=get_home_tile, order=30))
