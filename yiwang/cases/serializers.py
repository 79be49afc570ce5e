"""How cases look in the API. Input serializers only parse types; the rules live in actions.py."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yiwang import pii
from yiwang.areas.models import DisputeType, Organisation, Team, Window
from yiwang.cases.actions.intake import CLAIMS_MAX, FACTS_MAX, PARTIES_MAX
from yiwang.cases.models import (
    Attachment,
    Case,
    CaseEvent,
    Channel,
    FollowUp,
    Party,
    PartyKind,
    ReferralKind,
    Tier,
)
from yiwang.core import registry
from yiwang.core.fields import TextField


class DisputeTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisputeType
        fields = ["code", "name", "maritime", "litigation_bound"]


# ------------------------------------------------------------------------------------------------ output


class PartySerializer(serializers.ModelSerializer):
    """A party; ID number, phone, address and name are masked unless the context says `full_pii`."""

    class Meta:
        model = Party
        fields = ["id", "role", "kind", "name", "id_number", "phone", "address", "credit_code", "representative"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_pii"):
            if instance.kind == PartyKind.PERSON:
                data["name"] = pii.mask_name(instance.name)
            data["id_number"] = pii.mask_id_number(instance.id_number)
            data["phone"] = pii.mask_phone(instance.phone)
            data["address"] = pii.mask_address(instance.address)
        return data


class CaseEventSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "case_number", "kind", "at", "actor_name", "from_status", "to_status", "reason"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "uploaded_at"]


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    version = serializers.IntegerField(required=False, min_value=1)


class CaseSerializer(serializers.ModelSerializer):
    """A case in a list: what a queue needs, personal information masked; then the fields the apps built
    on cases register (core.registry.case_api_fields), in the registry's order."""

    area = serializers.CharField(source="area_id", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    dispute_type = serializers.CharField(source="dispute_type.code", read_only=True)
    dispute_type_name = serializers.CharField(source="dispute_type.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    centre = serializers.CharField(source="centre.name", read_only=True)
    owner = serializers.CharField(source="owner.__str__", read_only=True, default="")
    overdue = serializers.SerializerMethodField()
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "number", "status", "status_display", "channel", "dispute_type", "dispute_type_name", "area",
            "area_name", "centre", "tier", "received_at", "deadline", "overdue", "owner", "outcome", "parties",
            "version",
        ]

    def get_fields(self):
        fields = super().get_fields()
        for extra in registry.case_api_fields:
            fields[extra.name] = extra.field()
        return fields

    def get_overdue(self, case) -> bool:
        return case.is_overdue()


class CaseDetailSerializer(CaseSerializer):
    """One case in full: facts, routing, parties (in full for readers with pii.view), the timeline and
    the actions the reader may take now."""

    window = serializers.CharField(source="window.__str__", read_only=True, default="")
    team = serializers.CharField(source="team.__str__", read_only=True, default="")
    lead_leader = serializers.CharField(source="lead_leader.__str__", read_only=True, default="")
    merged_into = serializers.CharField(source="merged_into.number", read_only=True, default="")
    possible_duplicate = serializers.SerializerMethodField(help_text="the likely duplicate's number, when visible")
    mediators = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    facts_withheld = serializers.SerializerMethodField(
        help_text="why facts and claims are null: they are shown only to those who work on the case; else empty")

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + [
            "facts", "claims", "facts_withheld", "amount", "people_involved", "vessel_name", "vessel_number", "sea_area",
            "window", "team", "mediators", "lead_leader", "mediation_deadline", "extensions", "visits",
            "supervisions", "satisfaction", "outcome_note", "not_accepted_redirect", "routes_told",
            "possible_duplicate", "merged_into", "closed_at", "timeline", "available_actions", "attachments",
        ]

    def _can_read_facts(self, case) -> bool:
        from yiwang.cases.actions import can_read_case_facts

        return can_read_case_facts(case, self.context["request"].user)

    def get_facts_withheld(self, case) -> str:
        from yiwang.cases.actions import FACTS_WITHHELD

        return "" if self._can_read_facts(case) else str(FACTS_WITHHELD)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("facts_withheld"):  # personal information, need-to-know (actions.can_read_case_facts)
            data["facts"] = data["claims"] = None
        return data

    def get_possible_duplicate(self, case) -> str:
        from yiwang.cases.actions import get_visible_duplicate

        duplicate = get_visible_duplicate(case, self.context["request"].user)
        return duplicate.number if duplicate is not None else ""

    def get_mediators(self, case) -> list[str]:
        if "assignments" in getattr(case, "_prefetched_objects_cache", {}):  # read with the case (api._detail)
            return [str(a.mediator) for a in case.assignments.all() if a.recused_at is None]
        return [str(a.mediator) for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator")]

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_timeline(self, case):
        from yiwang.cases.actions import get_timeline

        events = self.context.get("timeline")  # a case registered in this request: api._detail read it
        return CaseEventSerializer(get_timeline(case) if events is None else events, many=True).data

    def get_available_actions(self, case) -> list[str]:
        from yiwang.cases.actions import get_available_actions

        return get_available_actions(case, self.context["request"].user)


# ------------------------------------------------------------------------------------------------ input


class PartyInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PartyKind.choices, default=PartyKind.PERSON)
    name = TextField(max_length=100, error_messages={"blank": _("Enter the party's name."),
                                                     "required": _("Enter the party's name.")})
    id_number = TextField(max_length=18, required=False, allow_blank=True, default="")
    phone = TextField(max_length=20, required=False, allow_blank=True, default="")
    address = TextField(max_length=200, required=False, allow_blank=True, default="")
    credit_code = TextField(max_length=18, required=False, allow_blank=True, default="")
    representative = TextField(max_length=50, required=False, allow_blank=True, default="")



class ApplicantInputSerializer(PartyInputSerializer):
    """An applicant: a person among them needs a mobile number to be reached (the schema says so with
    if/then, since `kind` defaults to a person)."""

    schema_extra = {"if": {"properties": {"kind": {"const": "person"}}},
                    "then": {"required": ["phone"], "properties": {"phone": {"minLength": 11}}}}

class CaseCreateSerializer(serializers.Serializer):
    """POST /api/v1/cases/. `dispute_type` is a code from /api/v1/dispute-types/, `area` a division code."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    dispute_type = TextField(max_length=40)
    area = TextField(max_length=12)
    facts = TextField(allow_blank=True, max_length=FACTS_MAX)
    claims = TextField(allow_blank=True, max_length=CLAIMS_MAX)
    applicants = ApplicantInputSerializer(many=True, min_length=1, max_length=PARTIES_MAX, help_text=f"1 to {PARTIES_MAX} parties")
    respondents = PartyInputSerializer(many=True, required=False, default=list, max_length=PARTIES_MAX,
                                       help_text=f"at most {PARTIES_MAX} parties")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                      min_value=0)
    people_involved = serializers.IntegerField(required=False, default=1, min_value=1)
    vessel_name = TextField(max_length=60, required=False, allow_blank=True, default="")
    vessel_number = TextField(max_length=40, required=False, allow_blank=True, default="")
    sea_area = TextField(max_length=100, required=False, allow_blank=True, default="")
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, allow_blank=True)
    received_at = serializers.DateTimeField(required=False)
    submitted_by_organisation = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text="a centre registering for a bank or a delegating court: the organisation's id "
                  "(/api/v1/organisations/); ignored for a bank's own operator, whose bank it always is")


class DelegationCreateSerializer(serializers.Serializer):
    """POST /api/v1/cases/delegations/: a court's delegation (委派调解). The same court and 案号 again
    returns the case first registered (200, `Idempotent-Replayed: true`)."""

    court = serializers.IntegerField(help_text="the delegating court's organisation id")
    court_case_number = serializers.CharField(max_length=60, help_text="the court's 案号, e.g. （2026）浙0903民诉前调12号")
    dispute_type = serializers.CharField(max_length=40)
    area = serializers.CharField(max_length=12)
    facts = serializers.CharField(allow_blank=True)
    claims = serializers.CharField(allow_blank=True)
    applicants = ApplicantInputSerializer(many=True, min_length=1, max_length=PARTIES_MAX)
    respondents = PartyInputSerializer(many=True, required=False, default=list, max_length=PARTIES_MAX)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                      min_value=0)
    people_involved = serializers.IntegerField(required=False, default=1, min_value=1)


class VersionedSerializer(serializers.Serializer):
    """Every transition may carry the `version` the caller read: a stale one is refused with 409."""

    version = serializers.IntegerField(required=False, min_value=1)


def _users():
    return get_user_model().objects.filter(is_active=True)


class NoteSerializer(VersionedSerializer):
    note = TextField(required=False, allow_blank=True, default="")


class ReasonSerializer(VersionedSerializer):
    reason = TextField(allow_blank=True)


class NotAcceptSerializer(ReasonSerializer):
    redirect = TextField(max_length=200, allow_blank=True)


class TransferWindowSerializer(VersionedSerializer):
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all())
    reason = TextField(required=False, allow_blank=True, default="")


class AssignSerializer(VersionedSerializer):
    mediators = serializers.PrimaryKeyRelatedField(queryset=_users(), many=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    reason = TextField(required=False, allow_blank=True, default="")


class RecuseSerializer(ReasonSerializer):
    mediator = serializers.PrimaryKeyRelatedField(queryset=_users())


class EscalateSerializer(ReasonSerializer):
    lead_leader = serializers.PrimaryKeyRelatedField(queryset=_users(), required=False, allow_null=True)


class MergeSerializer(ReasonSerializer):
    into = serializers.IntegerField(help_text="The id of the case that goes on.")


class SessionSerializer(VersionedSerializer):
    record = TextField(allow_blank=True)
    held_at = serializers.DateTimeField(required=False)
    place = TextField(max_length=200, required=False, allow_blank=True, default="")
    online = serializers.BooleanField(required=False, default=False)
    participants = TextField(required=False, allow_blank=True, default="")


class ExtendSerializer(VersionedSerializer):
    days = serializers.IntegerField()
    consent = serializers.BooleanField()
    consenting_parties = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                               help_text="The ids of the parties who consented (a court's "
                                                         "delegation needs every party).")
    reason = TextField(required=False, allow_blank=True, default="")


class AgreementSerializer(VersionedSerializer):
    facts = TextField(allow_blank=True)
    matters_in_dispute = TextField(allow_blank=True)
    responsibilities = TextField(allow_blank=True)
    content = TextField(allow_blank=True)
    performance_manner = TextField(allow_blank=True)
    performance_place = TextField(allow_blank=True)
    performance_deadline = serializers.DateField(allow_null=True)


class OralAgreementSerializer(AgreementSerializer):
    parties_confirmed = serializers.BooleanField(
        help_text="The mediator read the recorded content to the parties and they confirmed it (art. 28).")


class PaperSignatureSerializer(VersionedSerializer):
    """multipart/form-data: the scan is a file."""

    party = serializers.IntegerField(help_text="The id of the party who signed on paper.")
    scan = serializers.FileField(required=False, allow_null=True, help_text="A scan or photo of the signed page.")
    witness = TextField(max_length=100, allow_blank=True, help_text="Who witnessed the signature.")


class ApplyConfirmationSerializer(VersionedSerializer):
    applied_on = serializers.DateField(required=False, allow_null=True)
    court = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)


class RecordConfirmationSerializer(VersionedSerializer):
    accepted = serializers.BooleanField()
    decided_on = serializers.DateField(required=False, allow_null=True)
    court_case_number = TextField(max_length=60, required=False, allow_blank=True, default="")
    note = TextField(required=False, allow_blank=True, default="")


class PerformanceSerializer(NoteSerializer):
    completed = serializers.BooleanField(required=False, default=False)


class TerminateSerializer(ReasonSerializer):
    routes_told = TextField(allow_blank=True)


class RefusalSerializer(TerminateSerializer):
    party = serializers.IntegerField(help_text="The id of the party (of this case) who refused mediation.")


class ReferSerializer(VersionedSerializer):
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    body = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    note = TextField(required=False, allow_blank=True, default="")


class ReferralResultSerializer(VersionedSerializer):
    external_number = TextField(max_length=60, allow_blank=True, required=False, default="")
    note = TextField(required=False, allow_blank=True, default="")
    correction_reason = TextField(required=False, allow_blank=True, default="",
                                              help_text="Required when a number is already recorded.")
    no_number_reason = TextField(required=False, allow_blank=True, default="",
                                             help_text="Instead of a number: why none came back.")


class FollowUpSerializer(VersionedSerializer):
    satisfaction = serializers.IntegerField()
    method = serializers.ChoiceField(choices=FollowUp.Method.choices, required=False, default=FollowUp.Method.PHONE)
    note = TextField(required=False, allow_blank=True, default="")


class SuperviseSerializer(VersionedSerializer):
    note = TextField(allow_blank=True)
