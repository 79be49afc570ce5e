"""/api/v1/cobuild/: demands (with their lifecycle steps as POST …/{id}/<step>/), resources, projects,
pairings (POST …/{id}/renew/) and the social organisations registry, each scoped by cobuild.view and
paginated like the rest. The steps call the same actions as the pages."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from yiwang.areas.models import Area, Organisation
from yiwang.cobuild import actions, projects, venture
from yiwang.cobuild.matching import get_suggestions
from yiwang.cobuild.models import (
    Category,
    Demand,
    InspectionResult,
    Pairing,
    Project,
    Resource,
    ResourceKind,
    SocialOrganisation,
    SocialStatus,
    VentureApplication,
    VentureCall,
)
from yiwang.core.errors import InputError
from yiwang.core.fields import TextField
from yiwang.core.parsers import SafeJSONParser
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
    area = TextField()
    title = TextField(max_length=100)
    description = TextField(max_length=4000)
    category = serializers.ChoiceField(choices=Category.choices)
    size = serializers.IntegerField(min_value=1)
    needed_from = serializers.DateField()
    needed_until = serializers.DateField()
    contact_name = TextField(max_length=50)
    contact_phone = TextField(max_length=20)


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you read (409 when it has changed)")
    organisation = serializers.IntegerField(required=False, help_text="claim: the claiming organisation")
    resource = serializers.IntegerField(required=False, help_text="claim: the resource brought")
    note = TextField(required=False, allow_blank=True)
    reason = TextField(required=False, allow_blank=True, help_text="decline, withdraw")
    report = TextField(required=False, allow_blank=True, help_text="report: what was done")
    photos = serializers.ListField(child=serializers.ImageField(), required=False,
                                   help_text="report: photos (multipart)")


class SuggestionSerializer(serializers.Serializer):
    resource = serializers.IntegerField(source="resource.pk")
    organisation = TextField(source="resource.organisation.name")
    title = TextField(source="resource.title")
    reasons = serializers.ListField(child=TextField())


class DemandViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Demands in the reader's scope; a unit's token reads the open demands it may claim and its own."""

    serializer_class = DemandSerializer
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

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
    title = TextField(max_length=100)
    description = TextField(required=False, allow_blank=True)
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
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "description", "area", "lead", "stage", "starts_on", "ends_on", "started_on",
                  "finished_on", "final_report", "evaluation", "evaluation_score", "grade", "demands", "resources",
                  "milestones", "illustrative", "version", "steps"]

    def get_milestones(self, project) -> list[dict]:
        return [{"id": m.pk, "title": m.title, "due": m.due, "done_on": m.done_on, "report": m.report}
                for m in project.milestones.all()]

    def get_steps(self, project) -> list[str]:
        return projects.get_available_steps(self.context["request"].user, project)


class MilestonePlanSerializer(serializers.Serializer):
    title = TextField(max_length=100)
    due = serializers.DateField()


class ProjectCreateSerializer(serializers.Serializer):
    area = TextField()
    title = TextField(max_length=100)
    description = TextField(required=False, allow_blank=True)
    lead = serializers.IntegerField(help_text="the lead unit's organisation id")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    milestones = MilestonePlanSerializer(many=True)
    demands = serializers.ListField(child=serializers.IntegerField(), required=False)
    resources = serializers.ListField(child=serializers.IntegerField(), required=False)


class ProjectStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you read (409 when it has changed)")
    milestone = serializers.IntegerField(required=False, help_text="milestone: the milestone done")
    report = TextField(required=False, allow_blank=True, help_text="milestone, finish: what was done")
    photos = serializers.ListField(child=serializers.ImageField(), required=False,
                                   help_text="milestone: photos as evidence (multipart)")
    score = serializers.IntegerField(required=False, help_text="evaluate: 0–100")
    evaluation = TextField(required=False, allow_blank=True, help_text="evaluate: what it found")


class ProjectViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Joint projects in the reader's scope, with their steps as POST …/{id}/start|milestone|finish|evaluate/."""

    serializer_class = ProjectSerializer
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user, VIEW).prefetch_related("milestones", "demands",
                                                                                  "resources")

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request, *args, **kwargs):
        """Plan a project (the co-building office of its area)."""
        data = ProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        area = Area.objects.filter(code=fields.pop("area")).first()
        lead = Organisation.objects.filter(pk=fields.pop("lead")).first()
        if area is None or lead is None:
            raise InputError({"area" if area is None else "lead": _("No such area or organisation.")})
        demands = Demand.objects.visible_to(request.user, VIEW).filter(pk__in=fields.pop("demands", []))
        resources = Resource.objects.filter(pk__in=fields.pop("resources", []))
        milestones = [(m["title"], m["due"]) for m in fields.pop("milestones")]
        project = projects.do_plan_project(by=request.user, area=area, lead=lead, milestones=milestones,
                                           demands=demands, resources=resources, **fields)
        return Response(ProjectSerializer(project, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def _step(self, request, step):
        project = self.get_object()
        data = ProjectStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "photos" in request.FILES:
            values["photos"] = request.FILES.getlist("photos")
        projects.do_project_step(project, step, values, by=request.user)
        project.refresh_from_db()
        return Response(ProjectSerializer(project, context={"request": request}).data)


def _make_project_step(step: str):
    def view(self, request, pk=None, format=None):
        return self._step(request, step)

    view.__name__ = step
    view.__doc__ = f"{projects.STEPS[step][3]} (`version` is the version you read; 409 when it has changed)."
    return extend_schema(request=ProjectStepSerializer, responses=ProjectSerializer)(
        action(detail=True, methods=["post"], url_path=step, url_name=step)(view))


for _step in projects.STEPS:
    setattr(ProjectViewSet, _step, _make_project_step(_step))


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
    commitments = TextField(required=False, allow_blank=True)


class PairingRecordSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = TextField(max_length=4000)
    hours = serializers.IntegerField(min_value=0, required=False, default=0)


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

    @extend_schema(request=PairingRecordSerializer, responses={201: PairingSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None, format=None):
        """Record what was done under the pairing (the unit's people or the area's office)."""
        pairing = self.get_object()
        data = PairingRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_pairing_work(pairing, by=request.user, **data.validated_data)
        pairing = Pairing.objects.prefetch_related("records").get(pk=pairing.pk)  # with the new record
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)


class SocialOrganisationSerializer(serializers.ModelSerializer):
    name = TextField(source="organisation.name")
    inspections = serializers.SerializerMethodField()

    class Meta:
        model = SocialOrganisation
        fields = ["id", "organisation", "name", "area", "credit_code", "kind", "registration_authority",
                  "registered_on", "field", "party_organisation", "incubated", "status", "illustrative",
                  "inspections", "version"]
        read_only_fields = ["organisation", "kind", "status", "illustrative", "version"]

    def get_inspections(self, social) -> list[dict]:
        return [{"year": i.year, "result": i.result} for i in social.inspections.all()]


class SocialOrganisationCreateSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    area = TextField()
    credit_code = TextField(max_length=30, help_text="统一社会信用代码; a failed check answers 400")
    registration_authority = TextField(max_length=100)
    registered_on = serializers.DateField()
    field = TextField(max_length=100)
    party_organisation = TextField(required=False, allow_blank=True)
    incubated = serializers.BooleanField(required=False)


class SocialUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="the version you read (409 when it has changed)")
    registration_authority = TextField(max_length=100)
    field = TextField(max_length=100)
    party_organisation = TextField(required=False, allow_blank=True, default="")
    incubated = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=SocialStatus.choices)


class InspectionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    result = serializers.ChoiceField(choices=InspectionResult.choices)


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

    @extend_schema(request=SocialUpdateSerializer, responses=SocialOrganisationSerializer)
    @action(detail=True, methods=["post"], url_path="update", url_name="update")
    def update_registration(self, request, pk=None, format=None):
        """Correct the entry and set its status (incubating, active, suspended, deregistered)."""
        social = self.get_object()
        data = SocialUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_update_social_organisation(social, by=request.user, **data.validated_data)
        return Response(SocialOrganisationSerializer(social).data)

    @extend_schema(request=InspectionSerializer, responses=SocialOrganisationSerializer)
    @action(detail=True, methods=["post"])
    def inspect(self, request, pk=None, format=None):
        """Record a yearly inspection (the same year again corrects it)."""
        social = self.get_object()
        data = InspectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_inspection(social, by=request.user, **data.validated_data)
        return Response(SocialOrganisationSerializer(social).data)


class VentureCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = VentureCall
        fields = ["id", "title", "area", "budget", "criteria", "reviewers", "state", "opens_on", "closes_on",
                  "illustrative"]


class VentureApplicationSerializer(serializers.ModelSerializer):
    tranches = serializers.SerializerMethodField()

    class Meta:
        model = VentureApplication
        fields = ["id", "call", "applicant", "title", "summary", "amount", "state", "review_score",
                  "midterm_report", "midterm_passed", "final_report", "final_score", "grade", "submitted_at", "illustrative", "version", "tranches"]

    def get_tranches(self, application) -> list[dict]:
        return [{"id": t.pk, "number": t.number, "amount": str(t.amount), "paid_on": t.paid_on}
                for t in application.tranches.all()]


class CriterionSerializer(serializers.Serializer):
    code = TextField(required=False, max_length=20)
    name = TextField(max_length=50)
    points = serializers.IntegerField(min_value=1, max_value=100)


class VentureCallCreateSerializer(serializers.Serializer):
    area = TextField()
    title = TextField(max_length=100)
    budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    criteria = CriterionSerializer(many=True, help_text="the points add up to 100")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    reviewers = serializers.ListField(child=serializers.IntegerField(), help_text="user ids of the panel")


class VentureCallViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """公益创投 calls in the reader's scope; POST to open one, …/{id}/close/ and …/{id}/decide/."""

    serializer_class = VentureCallSerializer

    def get_queryset(self):
        from django.db.models import Q

        visible = VentureCall.objects.visible_to(self.request.user, VIEW)
        return VentureCall.objects.filter(Q(pk__in=visible.values("pk")) | Q(reviewers=self.request.user.pk)).distinct()

    @extend_schema(request=VentureCallCreateSerializer, responses={201: VentureCallSerializer})
    def create(self, request, *args, **kwargs):
        """Open a call for proposals."""
        from django.contrib.auth import get_user_model

        data = VentureCallCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        area = Area.objects.filter(code=fields.pop("area")).first()
        if area is None:
            raise InputError({"area": _("No such area.")})
        reviewers = get_user_model().objects.filter(pk__in=fields.pop("reviewers"), is_active=True)
        call = venture.do_open_call(by=request.user, area=area, reviewers=reviewers,
                                    criteria=[dict(c) for c in fields.pop("criteria")], **fields)
        return Response(VentureCallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=VentureCallSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, format=None):
        """Close the call for applications: the panel reviews."""
        call = self.get_object()
        venture.do_close_call(call, by=request.user)
        return Response(VentureCallSerializer(call).data)

    @extend_schema(request=None, responses=VentureCallSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None, format=None):
        """Decide the call: applications not funded are marked so; the results become public."""
        call = self.get_object()
        venture.do_decide_call(call, by=request.user)
        return Response(VentureCallSerializer(call).data)


class TrancheSerializer(serializers.Serializer):
    tranche = serializers.IntegerField(help_text="the tranche's id")


class ApplySerializer(serializers.Serializer):
    call = serializers.IntegerField()
    applicant = serializers.IntegerField(help_text="the social organisation's registry id")
    title = TextField(max_length=100)
    summary = TextField(max_length=4000)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class ApplicationStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="fund, report, midterm, final: the version read")
    scores = serializers.DictField(child=serializers.IntegerField(), required=False,
                                   help_text="review: points per criterion code")
    reason = TextField(required=False, allow_blank=True, help_text="conflict: the tie to the applicant")
    tranches = serializers.ListField(child=serializers.DecimalField(max_digits=12, decimal_places=2), required=False,
                                     help_text="fund: the tranches' amounts, the last after the mid-term")
    stage = serializers.ChoiceField(choices=["midterm", "final"], required=False, help_text="report")
    text = TextField(required=False, allow_blank=True, help_text="report: what the project has done")
    passed = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="midterm")
    note = TextField(required=False, allow_blank=True, help_text="midterm: what it found")
    score = serializers.IntegerField(required=False, help_text="final: 0–100")


class VentureApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Applications in the reader's scope (an organisation's liaison reads its own; a panel member the
    call's); POST to apply, and the steps as POST …/{id}/review|conflict|fund|report|midterm|final/."""

    serializer_class = VentureApplicationSerializer

    def get_queryset(self):
        from django.db.models import Q

        visible = VentureApplication.objects.visible_to(self.request.user, VIEW)
        return (VentureApplication.objects.filter(Q(pk__in=visible.values("pk"))
                                                  | Q(call__reviewers=self.request.user.pk))
                .distinct().prefetch_related("tranches"))

    @extend_schema(request=ApplySerializer, responses={201: VentureApplicationSerializer})
    def create(self, request, *args, **kwargs):
        """Apply to an open call for your own social organisation."""
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        call = VentureCall.objects.visible_to(request.user, VIEW).filter(pk=fields.pop("call")).first()
        applicant = SocialOrganisation.objects.filter(pk=fields.pop("applicant")).first()
        if call is None:
            raise Http404  # no such call in the reader's scope
        if applicant is None:
            raise InputError({"applicant": _("No such call or organisation.")})
        application = venture.do_apply(call, by=request.user, applicant=applicant, **fields)
        return Response(VentureApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    def _step(self, request, step):
        application = self.get_object()
        data = ApplicationStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        venture.do_application_step(application, step, dict(data.validated_data), by=request.user)
        application.refresh_from_db()
        return Response(VentureApplicationSerializer(application).data)

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


def _make_application_step(step: str):
    def view(self, request, pk=None, format=None):
        return self._step(request, step)

    view.__name__ = step
    view.__doc__ = f"{venture.APPLICATION_STEPS[step]}."
    return extend_schema(request=ApplicationStepSerializer, responses=VentureApplicationSerializer)(
        action(detail=True, methods=["post"], url_path=step, url_name=step)(view))


for _step in ("review", "conflict", "fund", "report", "midterm", "final"):
    setattr(VentureApplicationViewSet, _step, _make_application_step(_step))


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("cobuild/demands", DemandViewSet, basename="cobuild-demand")
    router.register("cobuild/resources", ResourceViewSet, basename="cobuild-resource")
    router.register("cobuild/projects", ProjectViewSet, basename="cobuild-project")
    router.register("cobuild/pairings", PairingViewSet, basename="cobuild-pairing")
    router.register("cobuild/organisations", SocialOrganisationViewSet, basename="cobuild-organisation")
    router.register("cobuild/calls", VentureCallViewSet, basename="cobuild-call")
    router.register("cobuild/applications", VentureApplicationViewSet, basename="cobuild-application")
