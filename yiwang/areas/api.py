"""Read-only API for master data. Every list is what the caller may see, filtered by area subtree."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from yiwang.areas import serializers
from yiwang.areas.models import Area, Centre, Organisation, Team, Window

AREA_PARAM = OpenApiParameter("area", OpenApiTypes.STR, description="A division code: only objects in its subtree.")


class ScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over `Model.objects.visible_to(user)`, with `?area=CODE` for a subtree."""

    model = None
    select = ()

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select:
            qs = qs.select_related(*self.select)
        area = self.request.query_params.get("area")
        if area:
            qs = qs.in_area(area)
        return qs


@extend_schema_view(list=extend_schema(parameters=[
    AREA_PARAM,
    OpenApiParameter("level", OpenApiTypes.STR, description="province, city, county, township or village"),
    OpenApiParameter("parent", OpenApiTypes.STR, description="Children of this code"),
]))
class AreaViewSet(ScopedViewSet):
    model = Area
    serializer_class = serializers.AreaSerializer
    lookup_field = "code"

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        if params.get("level"):
            qs = qs.filter(level=params["level"])
        if params.get("parent"):
            qs = qs.filter(parent_id=params["parent"])
        return qs


@extend_schema_view(list=extend_schema(parameters=[
    AREA_PARAM, OpenApiParameter("level", OpenApiTypes.STR, description="district, town or village")
]))
class CentreViewSet(ScopedViewSet):
    model = Centre
    serializer_class = serializers.CentreSerializer
    select = ("area",)

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.query_params.get("level"):
            qs = qs.filter(level=self.request.query_params["level"])
        return qs


@extend_schema_view(list=extend_schema(parameters=[AREA_PARAM]))
class WindowViewSet(ScopedViewSet):
    model = Window
    serializer_class = serializers.WindowSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("dispute_types")


@extend_schema_view(list=extend_schema(parameters=[AREA_PARAM]))
class TeamViewSet(ScopedViewSet):
    model = Team
    serializer_class = serializers.TeamSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("dispute_types")


@extend_schema_view(list=extend_schema(parameters=[AREA_PARAM]))
class OrganisationViewSet(ScopedViewSet):
    model = Organisation
    serializer_class = serializers.OrganisationSerializer
