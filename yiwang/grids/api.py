"""/api/v1/ endpoints for grids: grids, visit tasks and problems (read, scoped by grid.view), and the
problem workflow steps (POST, the same actions as the pages)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yiwang.core.fields import TextField
from yiwang.grids import actions
from yiwang.grids.models import Grid, Problem, VisitTask


class GridSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ["id", "code", "name", "area", "households", "teams", "active"]


class VisitTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitTask
        fields = ["id", "team", "grid", "area", "week_day", "due_date", "state"]


class ProblemSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: the cases app's "tier" and "channel" enums would collide by name.
    tier = TextField(read_only=True, help_text="general, major or serious")
    channel = TextField(read_only=True, help_text="visit, web or open311")
    overdue = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Problem
        fields = [
            "id", "category", "description", "grid", "area", "location", "latitude", "longitude", "tier", "state",
            "channel", "visit", "reported_at", "accept_due", "accepted_at", "handle_due", "closed_at",
            "assigned_organisation", "assigned_team", "outcome", "parked_reason", "extension_days", "version",
            "updated_at", "case", "overdue", "steps",
        ]

    def get_overdue(self, problem) -> bool:
        from django.utils import timezone

        return problem.is_overdue(timezone.localdate())

    def get_steps(self, problem) -> list[str]:
        return actions.get_available_steps(self.context["request"].user, problem)


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=list(actions.STEPS))
    version = serializers.IntegerField()
    note = TextField(required=False, allow_blank=True)
    reason = TextField(required=False, allow_blank=True)
    outcome = TextField(required=False, allow_blank=True)
    tier = TextField(required=False)
    grid = TextField(required=False, allow_blank=True)
    organisation = serializers.IntegerField(required=False)
    team = serializers.IntegerField(required=False)
    days = serializers.IntegerField(required=False)
    granted = serializers.BooleanField(required=False)
    dispute_type = TextField(required=False, allow_blank=True)
    applicant_name = TextField(required=False, allow_blank=True)
    applicant_phone = TextField(required=False, allow_blank=True)
    respondent_name = TextField(required=False, allow_blank=True)
    claims = TextField(required=False, allow_blank=True)


class GridViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GridSerializer

    def get_queryset(self):
        return Grid.objects.visible_to(self.request.user, "grid.view").prefetch_related("teams")


class VisitTaskViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VisitTaskSerializer

    def get_queryset(self):
        return VisitTask.objects.visible_to(self.request.user, "grid.view")


class ProblemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProblemSerializer

    def get_queryset(self):
        qs = Problem.objects.visible_to(self.request.user, "grid.view")
        params = self.request.query_params
        if params.get("area"):
            qs = qs.in_area(params["area"])
        if params.get("state"):
            qs = qs.filter(state=params["state"])
        return qs

    @extend_schema(request=StepSerializer, responses=ProblemSerializer)
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None, format=None):  # format: the router's .json twin
        """Take one workflow step; `version` is the version you saw (409 when it has changed)."""
        problem = self.get_object()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = actions.do_step(problem, data.validated_data["step"], data.validated_data, by=request.user)
        return Response(ProblemSerializer(result, context={"request": request}).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("grids", GridViewSet, basename="grid")
    router.register("grid-visit-tasks", VisitTaskViewSet, basename="grid-visit-task")
    router.register("grid-problems", ProblemViewSet, basename="grid-problem")
