"""/api/v1/vessels/ (the registry: search, register, one vessel with its cases) and /api/v1/sea-areas/
(the configured areas, or the one around a position). Every write calls the same action as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from yiwang import pii
from yiwang.cases.models import Case
from yiwang.core.audit import record
from yiwang.core.fields import TextField
from yiwang.core.scope import user_can
from yiwang.maritime import actions, sea
from yiwang.maritime.models import HolderKind, LengthClass, SeaArea, SeaAreaKind, Vessel, VesselKind

MASKED = {"owner_name": pii.mask_name, "owner_id_number": pii.mask_id_number, "owner_phone": pii.mask_phone,
          "operator_name": pii.mask_name, "operator_id_number": pii.mask_id_number, "operator_phone": pii.mask_phone}


class VesselSerializer(serializers.ModelSerializer):
    """A vessel; its owner's and operator's personal data masked unless the context says `full_pii` (an
    organisation's name is public and never masked)."""

    area = TextField(source="area_id", read_only=True)
    fishing = serializers.BooleanField(source="is_fishing", read_only=True)

    class Meta:
        model = Vessel
        fields = ["id", "name", "registration_number", "home_port", "mmsi", "chinese", "kind", "fishing",
                  "length_class", "gross_tonnage", "area", "owner_kind", "owner_name", "owner_id_number",
                  "owner_credit_code", "owner_phone", "operator_kind", "operator_name", "operator_id_number",
                  "operator_credit_code", "operator_phone", "version"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_pii"):
            for field, mask in MASKED.items():
                prefix = field.split("_")[0]
                if field.endswith("_name") and data.get(f"{prefix}_kind") == "organisation":
                    continue
                data[field] = mask(data[field] or "")
        return data


class CrewSerializer(serializers.Serializer):
    name = TextField()
    position = TextField()
    written_contract = serializers.BooleanField()


class VesselCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    number = TextField(source="case.number")
    status = TextField(source="case.status")
    dispute_type = TextField(source="case.dispute_type.code")
    incident_kind = TextField()
    sea_area = TextField(source="sea_area_id", allow_null=True)
    major = serializers.BooleanField()
    received_at = serializers.DateTimeField(source="case.received_at")


class VesselDetailSerializer(VesselSerializer):
    crew = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField(help_text="The maritime cases the vessel is involved in that you may see.")

    class Meta(VesselSerializer.Meta):
        fields = [*VesselSerializer.Meta.fields, "crew", "cases"]

    def get_crew(self, vessel) -> list[dict]:
        full = self.context.get("full_pii")
        return [{"name": m.name if full else pii.mask_name(m.name), "position": m.position,
                 "written_contract": m.written_contract} for m in vessel.crew.all()]

    def get_cases(self, vessel) -> list[dict]:
        user = self.context["request"].user
        visible = Case.objects.visible_to(user, "case.view").values("pk")
        records = vessel.records.filter(case__in=visible).select_related("case", "case__dispute_type") \
            .order_by("-case__received_at")
        return VesselCaseSerializer(records, many=True).data


class VesselCreateSerializer(serializers.Serializer):
    """What POST /api/v1/vessels/ takes; the action checks every field (a bad 船名 or MMSI: 400 per field)."""

    name = TextField(max_length=60)
    kind = serializers.ChoiceField(choices=VesselKind.choices,
                                   error_messages={"invalid_choice": gettext_lazy("Choose the vessel's type.")})
    registration_number = TextField(required=False, allow_blank=True, max_length=60)
    home_port = TextField(required=False, allow_blank=True, max_length=60)
    mmsi = TextField(required=False, allow_blank=True, max_length=20)
    chinese = serializers.BooleanField(required=False, default=True)
    length_class = serializers.ChoiceField(choices=LengthClass.choices, required=False, allow_blank=True,
                                           error_messages={"invalid_choice": gettext_lazy("Choose a length class.")})
    gross_tonnage = TextField(required=False, allow_blank=True, allow_null=True, max_length=20)
    area = TextField(required=False, allow_blank=True, max_length=12)
    owner_kind = serializers.ChoiceField(choices=HolderKind.choices, required=False, allow_blank=True,
                                         error_messages={"invalid_choice": gettext_lazy("An owner or operator is a person or an organisation.")})
    owner_name = TextField(max_length=100, error_messages={
        "required": gettext_lazy("Name the vessel's owner."), "blank": gettext_lazy("Name the vessel's owner."),
        "max_length": gettext_lazy("A name has at most 100 characters.")})
    owner_id_number = TextField(required=False, allow_blank=True, max_length=30)
    owner_credit_code = TextField(required=False, allow_blank=True, max_length=30)
    owner_phone = TextField(required=False, allow_blank=True, max_length=30)
    operator_kind = serializers.ChoiceField(choices=HolderKind.choices, required=False, allow_blank=True,
                                            error_messages={"invalid_choice": gettext_lazy("An owner or operator is a person or an organisation.")})
    operator_name = TextField(required=False, allow_blank=True, max_length=200)
    operator_id_number = TextField(required=False, allow_blank=True, max_length=30)
    operator_credit_code = TextField(required=False, allow_blank=True, max_length=30)
    operator_phone = TextField(required=False, allow_blank=True, max_length=30)
    crew = CrewSerializer(many=True, required=False)


@extend_schema_view(
    list=extend_schema(summary="Vessels you may see", parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="A name or number (anywhere in it), an MMSI, or the "
                                                            "owner's or operator's name."),
        OpenApiParameter("area", OpenApiTypes.STR, description="A division code: vessels registered in its subtree.")]),
    retrieve=extend_schema(summary="One vessel, with its crew and cases"),
    create=extend_schema(request=VesselCreateSerializer, summary="Register a vessel",
                         responses={201: VesselDetailSerializer, 400: OpenApiResponse(description="A message per field.")}),
)
class VesselViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    """The vessel registry in the caller's scope (sea.view); out of scope answers 404."""

    def get_serializer_class(self):
        return VesselDetailSerializer if self.action != "list" else VesselSerializer

    def get_queryset(self):
        qs = Vessel.objects.visible_to(self.request.user, "sea.view").select_related("area")
        if self.action == "list":
            params = self.request.query_params
            qs = qs.search(params.get("q", ""))
            if params.get("area"):
                qs = qs.in_area(params["area"])
        return qs.prefetch_related("crew")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # The list masks; a detail is in full for pii.view on the vessel's area, and that read is audited.
        context["full_pii"] = False
        return context

    def _detail(self, vessel, status_code=status.HTTP_200_OK):
        user = self.request.user
        full = user_can(user, "pii.view", vessel.area_id)
        if full:
            record(user, "maritime.pii_read", vessel)
        return Response(VesselDetailSerializer(vessel, context={"request": self.request, "full_pii": full}).data,
                        status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    def create(self, request, *args, **kwargs):
        data = VesselCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        vessel = actions.do_register_vessel(by=request.user, crew=values.pop("crew", []), **values)
        return self._detail(Vessel.objects.get(pk=vessel.pk), status.HTTP_201_CREATED)


class SeaAreaSerializer(serializers.ModelSerializer):
    handling_area = TextField(source="handling_area_id")
    parent = TextField(source="parent_id", allow_null=True)

    class Meta:
        model = SeaArea
        fields = ["code", "kind", "name", "parent", "min_lat", "max_lat", "min_lon", "max_lon", "handling_area"]


class LocationSerializer(serializers.Serializer):
    zone = SeaAreaSerializer(allow_null=True)
    subzone = SeaAreaSerializer(allow_null=True)
    water = SeaAreaSerializer(allow_null=True)
    sea_area = SeaAreaSerializer()
    handling_area = serializers.SerializerMethodField()

    def get_handling_area(self, location) -> dict:
        area = location.handling_area
        return {"code": area.code, "name": area.name}


@extend_schema_view(list=extend_schema(
    summary="Sea areas, or the one around a position",
    parameters=[OpenApiParameter("lat", OpenApiTypes.NUMBER, description="Latitude in decimal degrees (with lon)."),
                OpenApiParameter("lon", OpenApiTypes.NUMBER, description="Longitude in decimal degrees (with lat)."),
                OpenApiParameter("kind", OpenApiTypes.STR, description="zone, subzone or water (without lat/lon).")],
    responses={200: PolymorphicProxySerializer(
        component_name="SeaAreasOrLocation", resource_type_field_name=None, many=False,
        serializers=[LocationSerializer, inline_serializer("SeaAreaPage", {
            "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True), "results": SeaAreaSerializer(many=True)})]),
        404: OpenApiResponse(description="The point lies in no configured zone.")}))
class SeaAreaViewSet(viewsets.GenericViewSet):
    """With `lat` and `lon`: the fishing zone, small zone and named water containing the point and the land
    area that handles it (404 for a point in none). Without: the configured areas. Needs sea.view."""

    serializer_class = SeaAreaSerializer

    def get_queryset(self):
        if not user_can(self.request.user, "sea.view"):
            return SeaArea.objects.none()
        return SeaArea.objects.select_related("handling_area")

    def list(self, request, *args, **kwargs):
        if not user_can(request.user, "sea.view"):
            raise Http404
        params = request.query_params
        if "lat" in params or "lon" in params:
            location = sea.locate(params.get("lat"), params.get("lon"))
            if location is None:
                return Response({"detail": _("This position lies in no configured fishing zone.")}, status=404)
            return Response(LocationSerializer(location).data)
        qs = self.get_queryset()
        if params.get("kind") in SeaAreaKind.values:
            qs = qs.filter(kind=params["kind"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(SeaAreaSerializer(page, many=True).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("vessels", VesselViewSet, basename="vessel")
    router.register("sea-areas", SeaAreaViewSet, basename="sea-area")


