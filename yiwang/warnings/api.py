"""/api/v1/warnings/: warnings scoped like cases (warning.view on the warning's area; outside, 404),
filtered by level, status, area and rule, and the lifecycle steps as POST
/api/v1/warnings/{id}/<step>/ (the same actions as the pages)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yiwang.core.fields import TextField
from yiwang.warnings import actions
from yiwang.warnings.models import Warning
from yiwang.warnings.views import get_filtered


class WarningSerializer(serializers.ModelSerializer):
    rule = TextField(source="rule_id", read_only=True)
    area = TextField(source="area_id", read_only=True)
    # Plain strings in the schema: other apps' "status" and "tier" enums would collide by name.
    level = TextField(read_only=True, help_text="yellow, orange or red")
    status = TextField(read_only=True, help_text="raised, acknowledged, handling, resolved or dismissed")
    tier = TextField(read_only=True, help_text="village, town or district: who must act")
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    problems = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    steps = serializers.SerializerMethodField()

    class Meta:
        model = Warning
        fields = ["id", "level", "rule", "explanation", "area", "cases", "problems", "vessel", "raised_at",
                  "status", "tier", "routed_area", "numbers", "acknowledged_at", "acknowledged_by", "escalated_at",
                  "closed_at", "close_reason", "false_alarm", "version", "steps"]

    def get_steps(self, warning) -> list[str]:
        return actions.get_available_steps(self.context["request"].user, warning)


class StepSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    note = TextField(required=False, allow_blank=True, max_length=4000)
    false_alarm = serializers.BooleanField(required=False, default=False)


FILTERS = [OpenApiParameter(name, str, description=text) for name, text in (
    ("level", "yellow, orange or red"), ("status", "a status, or open"), ("area", "a division code (its subtree)"),
    ("rule", "a rule code, e.g. group.size"))]


@extend_schema_view(list=extend_schema(parameters=FILTERS))
class WarningViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WarningSerializer

    def get_queryset(self):
        return get_filtered(self.request.user, self.request.query_params).prefetch_related("cases", "problems")

    def _step(self, request, name):
        warning = self.get_object()
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = actions.do_step(warning, name, by=request.user, version=data.validated_data["version"],
                                 note=data.validated_data.get("note", ""),
                                 false_alarm=data.validated_data.get("false_alarm", False))
        return Response(WarningSerializer(result, context={"request": request}).data)

    @extend_schema(request=StepSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None, format=None):  # format: the router's .json twin
        """Acknowledge the warning (who and when are recorded)."""
        return self._step(request, "acknowledge")

    @extend_schema(request=StepSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None, format=None):
        """Record a measure taken (`note`, required)."""
        return self._step(request, "handle")

    @extend_schema(request=StepSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None, format=None):
        """Resolve the warning (`note`: how, required)."""
        return self._step(request, "resolve")

    @extend_schema(request=StepSerializer, responses=WarningSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None, format=None):
        """Dismiss the warning (`note`: why, required; `false_alarm` to count it as one)."""
        return self._step(request, "dismiss")


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("warnings", WarningViewSet, basename="warning")
