"""/api/v1/cobuild/: demands (with their lifecycle steps as POST …/{id}/<step>/), resources, projects,
pairings (POST …/{id}/renew/) and the social organisations registry, each scoped by cobuild.view and
paginated like the rest. The steps call the same actions as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from yiwang.areas.models import Area, Organisation
from yiwang.cobuild import actions
from yiwang.cobuild.matching import get_suggestions
from yiwang.cobuild.models import (
    Category,
    Demand,
    Pairing,
    Project,
    Resource,
    ResourceKind,
    SocialOrganisation,
    VentureApplication,
    VentureCall,
)
from yiwang.core.errors import InputError
from yiwang.core.scope import user_can_reach
from yiwang.pii import mask_phone

VIEW = "cobuild.view"


class DemandSerializer(serializers.ModelSerializer):
    contact_phone = serializers.SerializerMethodField()
    claim = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Demand
        fields = ["id", "title", "description", "category", "area", "size", "needed_from", "needed_until",
                  "contact_name", "contact_phone", "state", "problem", "posted_at", "escalated_at", "closed_at",
                  "illustrative", "version", "claim", "steps"]

    def get_contact_phone(self, demand) -> str:
        # The community's own staff read the number; a unit reads it masked until its claim is confirmed.
        user = self.context["request"].user
        if user_can_reach(user, "cobuild.post", demand):
            return demand.contact_phone
        claim = demand.current_claim()
        if claim and claim.state != "pending" and claim.organisation_id in actions.get_acting_organisations(user):
            return demand.contact_phone
        return mask_phone(demand.contact_phone)

    def get_claim(self, demand) -> dict | None:
        claim = demand.current_claim()
        if claim is None:
            return None
        return {"id": claim.pk, "organisation": claim.organisation_id, "state": claim.state,
                "claimed_at": claim.claimed_at, "report": claim.report}

    def get_steps(self, demand) -> list[str]:
        return actions.get_available_steps(self.context["request"].user, demand)


class DemandCreateSerializer(serializers.Serializer):
    area = serializers.CharField()
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=4000)
    category = serializers.ChoiceField(choices=Category.choices)
    size = serializers.IntegerField(min_value=1)
    needed_from = serializers.DateField()
    needed_until = serializers.DateField()
    contact_name = serializers.CharField(max_length=50)
    contact_phone = serializers.CharField(max_length=20)


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you read (409 when it has changed)")
    organisation = serializers.IntegerField(required=False, help_text="claim: the claiming organisation")
    resource = serializers.IntegerField(required=False, help_text="claim: the resource brought")
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="decline, withdraw")
    report = serializers.CharField(required=False, allow_blank=True, help_text="report: what was done")
    photos = serializers.ListField(child=serializers.ImageField(), required=False,
                                   help_text="report: photos (multipart)")


class SuggestionSerializer(serializers.Serializer):
    resource = serializers.IntegerField(source="resource.pk")
    organisation = serializers.CharField(source="resource.organisation.name")
    title = serializers.CharField(source="resource.title")
    reasons = serializers.ListField(child=serializers.CharField())


class DemandViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Demands in the reader's scope; a unit's token reads the open demands it may claim and its own."""

    serializer_class = DemandSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        qs = Demand.objects.visible_to(self.request.user, VIEW)
        params = self.request.query_params
        if params.get("area"):
            qs = qs.in_area(params["area"])
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        return qs

    @extend_schema(request=DemandCreateSerializer, responses={201: DemandSerializer})
    def create(self, request, *args, **kwargs):
        """Post a community's demand."""
        data = DemandCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        area = Area.objects.filter(code=fields.pop("area")).first()
        if area is None:
            raise InputError({"area": _("No such area.")})
        demand = actions.do_post_demand(by=request.user, area=area, **fields)
        return Response(DemandSerializer(demand, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def _step(self, request, step):
        demand = self.get_object()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "photos" in request.FILES:
            values["photos"] = request.FILES.getlist("photos")
        actions.do_step(demand, step, values, by=request.user)
        demand.refresh_from_db()
        return Response(DemandSerializer(demand, context={"request": request}).data)

    @extend_schema(responses=SuggestionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None, format=None):
        """Resources that could meet the demand, best first, with the reasons."""
        demand = self.get_object()
        return Response(SuggestionSerializer(get_suggestions(demand), many=True).data)


def _make_step(step: str):
    def view(self, request, pk=None, format=None):  # format: the router's .json twin
        return self._step(request, step)

    view.__name__ = step
    view.__doc__ = f"{actions.STEPS[step][3]} (`version` is the version you read; 409 when it has changed)."
    return extend_schema(request=StepSerializer, responses=DemandSerializer)(
        action(detail=True, methods=["post"], url_path=step, url_name=step)(view))


for _step in actions.STEPS:
    setattr(DemandViewSet, _step, _make_step(_step))


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "organisation", "area", "kind", "title", "description", "categories", "capacity",
                  "available_from", "available_until", "active", "illustrative"]
        read_only_fields = ["area", "active", "illustrative"]


class ResourceCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=Category.choices))
    capacity = serializers.IntegerField(min_value=1)
    available_from = serializers.DateField()
    available_until = serializers.DateField()


class ResourceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResourceSerializer

    def get_queryset(self):
        return Resource.objects.visible_to(self.request.user, VIEW)

    @extend_schema(request=ResourceCreateSerializer, responses={201: ResourceSerializer})
    def create(self, request, *args, **kwargs):
        """Offer a resource of your unit or organisation."""
        data = ResourceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = Organisation.objects.filter(pk=fields.pop("organisation")).first()
        if organisation is None:
            raise InputError({"organisation": _("No such organisation.")})
        resource = actions.do_offer_resource(by=request.user, organisation=organisation, **fields)
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)


class ProjectSerializer(serializers.ModelSerializer):
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "description", "area", "lead", "stage", "starts_on", "ends_on", "demands",
                  "resources", "milestones", "illustrative"]

    def get_milestones(self, project) -> list[dict]:
        return [{"title": m.title, "due": m.due, "done_on": m.done_on, "report": m.report}
                for m in project.milestones.all()]


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user, VIEW).prefetch_related("milestones", "demands",
                                                                                  "resources")


class PairingSerializer(serializers.ModelSerializer):
    records = serializers.SerializerMethodField()

    class Meta:
        model = Pairing
        fields = ["id", "unit", "area", "party_organisation", "membership", "starts_on", "ends_on", "unit_contact",
                  "area_contact", "commitments", "renewals", "illustrative", "version", "records"]
        read_only_fields = ["renewals", "illustrative", "version"]

    def get_records(self, pairing) -> list[dict]:
        return [{"date": r.date, "text": r.text, "hours": r.hours} for r in pairing.records.all()]


class RenewSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    commitments = serializers.CharField(required=False, allow_blank=True)


class PairingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Pairings (结对共建) in the reader's scope; a unit's token reads its own."""

    serializer_class = PairingSerializer

    def get_queryset(self):
        return Pairing.objects.visible_to(self.request.user, VIEW).prefetch_related("records")

    def create(self, request, *args, **kwargs):
        """Record a signed pairing agreement."""
        data = PairingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        pairing = actions.do_pair(by=request.user, **fields)
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RenewSerializer, responses=PairingSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None, format=None):
        """Renew the agreement for another year."""
        pairing = self.get_object()
        data = RenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_renew_pairing(pairing, by=request.user, version=data.validated_data["version"],
                                 commitments=data.validated_data.get("commitments", ""))
        return Response(PairingSerializer(pairing).data)


class SocialOrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organisation.name")
    inspections = serializers.SerializerMethodField()

    class Meta:
        model = SocialOrganisation
        fields = ["id", "organisation", "name", "area", "credit_code", "kind", "registration_authority",
                  "registered_on", "field", "party_organisation", "incubated", "status", "illustrative",
                  "inspections"]
        read_only_fields = ["organisation", "kind", "status", "illustrative"]

    def get_inspections(self, social) -> list[dict]:
        return [{"year": i.year, "result": i.result} for i in social.inspections.all()]


class SocialOrganisationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    area = serializers.CharField()
    credit_code = serializers.CharField(max_length=30, help_text="统一社会信用代码; a failed check answers 400")
    registration_authority = serializers.CharField(max_length=100)
    registered_on = serializers.DateField()
    field = serializers.CharField(max_length=100)
    party_organisation = serializers.CharField(required=False, allow_blank=True)
    incubated = serializers.BooleanField(required=False)


class SocialOrganisationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The registry of social organisations in the reader's scope."""

    serializer_class = SocialOrganisationSerializer

    def get_queryset(self):
        return (SocialOrganisation.objects.visible_to(self.request.user, VIEW)
                .select_related("organisation").prefetch_related("inspections"))

    @extend_schema(request=SocialOrganisationCreateSerializer, responses={201: SocialOrganisationSerializer})
    def create(self, request, *args, **kwargs):
        """Register a social organisation; its kind is read from its credit code."""
        data = SocialOrganisationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        area = Area.objects.filter(code=fields.pop("area")).first()
        if area is None:
            raise InputError({"area": _("No such area.")})
        social = actions.do_register_social_organisation(by=request.user, area=area, **fields)
        return Response(SocialOrganisationSerializer(social).data, status=status.HTTP_201_CREATED)


class VentureCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = VentureCall
        fields = ["id", "title", "area", "budget", "criteria", "state", "opens_on", "closes_on", "illustrative"]


class VentureApplicationSerializer(serializers.ModelSerializer):
    tranches = serializers.SerializerMethodField()

    class Meta:
        model = VentureApplication
        fields = ["id", "call", "applicant", "title", "summary", "amount", "state", "review_score",
                  "midterm_passed", "final_score", "grade", "submitted_at", "illustrative", "version", "tranches"]

    def get_tranches(self, application) -> list[dict]:
        return [{"id": t.pk, "number": t.number, "amount": str(t.amount), "paid_on": t.paid_on}
                for t in application.tranches.all()]


class VentureCallViewSet(viewsets.ReadOnlyModelViewSet):
    """公益创投 calls in the reader's scope."""

    serializer_class = VentureCallSerializer

    def get_queryset(self):
        return VentureCall.objects.visible_to(self.request.user, VIEW)


class TrancheSerializer(serializers.Serializer):
    tranche = serializers.IntegerField(help_text="the tranche's id")


class VentureApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications in the reader's scope; an organisation's liaison reads its own."""

    serializer_class = VentureApplicationSerializer

    def get_queryset(self):
        return VentureApplication.objects.visible_to(self.request.user, VIEW).prefetch_related("tranches")

    @extend_schema(request=TrancheSerializer, responses=VentureApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="pay-tranche", url_name="pay-tranche")
    def pay_tranche(self, request, pk=None, format=None):
        """Pay one tranche (409 for the last before a passed mid-term evaluation)."""
        from yiwang.cobuild import venture

        application = self.get_object()
        data = TrancheSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tranche = application.tranches.filter(pk=data.validated_data["tranche"]).first()
        if tranche is None:
            raise InputError({"tranche": _("No such tranche of this application.")})
        venture.do_pay_tranche(tranche, by=request.user)
        return Response(VentureApplicationSerializer(application).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("cobuild/demands", DemandViewSet, basename="cobuild-demand")
    router.register("cobuild/resources", ResourceViewSet, basename="cobuild-resource")
    router.register("cobuild/projects", ProjectViewSet, basename="cobuild-project")
    router.register("cobuild/pairings", PairingViewSet, basename="cobuild-pairing")
    router.register("cobuild/organisations", SocialOrganisationViewSet, basename="cobuild-organisation")
    router.register("cobuild/calls", VentureCallViewSet, basename="cobuild-call")
    router.register("cobuild/applications", VentureApplicationViewSet, basename="cobuild-application")
