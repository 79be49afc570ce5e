"""/api/v1/privacy/: personal-data requests (staff holding `pii.request`), the same actions as the pages.

    POST /api/v1/privacy/export/                     id_number and/or phone → everything about the person
    POST /api/v1/privacy/parties/{id}/correct/       reason, name / id_number / phone / address → the party
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yiwang.cases.models import Case, Party
from yiwang.core.fields import TextField
from yiwang.privacy import actions


class PersonSerializer(serializers.Serializer):
    id_number = TextField(max_length=18, required=False, allow_blank=True, default="")
    phone = TextField(max_length=20, required=False, allow_blank=True, default="")


class CorrectionSerializer(serializers.Serializer):
    reason = TextField(max_length=500)
    name = TextField(max_length=100, required=False)
    id_number = TextField(max_length=18, required=False, allow_blank=True)
    phone = TextField(max_length=11, required=False, allow_blank=True)
    address = TextField(max_length=200, required=False, allow_blank=True)


PartyResponse = inline_serializer("CorrectedParty", {
    "id": serializers.IntegerField(), "case": TextField(), "name": TextField(),
    "id_number": TextField(), "phone": TextField(), "address": TextField()})
ExportResponse = inline_serializer("PersonalDataExport", {
    "exported_at": TextField(), "exported_by": TextField(),
    "identifier": serializers.DictField(), "cases": serializers.ListField(child=serializers.DictField())})


class ExportViewSet(viewsets.ViewSet):
    """Everything held about one person, found by ID number or mobile number, in the cases the caller may
    handle requests on; audited."""

    @extend_schema(request=PersonSerializer, responses=ExportResponse)
    def create(self, request, format=None):
        data = PersonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(actions.do_export_person(by=request.user, **data.validated_data))


class PartyViewSet(viewsets.ViewSet):
    """A party's personal details corrected on the person's request; audited."""

    lookup_value_regex = r"[0-9]+"

    @extend_schema(request=CorrectionSerializer, responses=PartyResponse,
                   parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The party's id.")])
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None, format=None):
        visible = Case.objects.visible_to(request.user, actions.REQUEST)
        party = Party.objects.filter(pk=pk, case__in=visible).select_related("case").first()
        if party is None:
            raise Http404
        data = CorrectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        reason = changes.pop("reason")
        party = actions.do_correct_party(party, by=request.user, reason=reason, **changes)
        return Response({"id": party.pk, "case": party.case.number, "name": party.name,
                         "id_number": party.id_number, "phone": party.phone, "address": party.address})


def register(router) -> None:
    router.register("privacy/export", ExportViewSet, basename="privacy-export")
    router.register("privacy/parties", PartyViewSet, basename="privacy-parties")
