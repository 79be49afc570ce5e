"""/api/v1/triage/: suggest a dispute type for a text (staff, and a public rate-limited twin for the online
filing page), and for a case the recommended mediators and the likely duplicates.

    POST /api/v1/triage/                      text [, area, amount, people_involved] → suggestions (top 3)
    POST /api/v1/triage/public/               text → suggestions (no routing), anyone, rate-limited
    GET  /api/v1/triage/mediators/{case id}/  ranked mediators with reasons, and who is excluded and why
    GET  /api/v1/triage/duplicates/{case id}/ likely duplicates with score and reasons
    POST /api/v1/triage/hotline/              12345 transfers → cases, typed by triage when untyped
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from yiwang.areas.models import Area
from yiwang.cases.serializers import ApplicantInputSerializer, PartyInputSerializer
from yiwang.core.errors import PermissionRefused
from yiwang.core.fields import TextField
from yiwang.core.network import get_client_ip
from yiwang.core.scope import user_can
from yiwang.triage import actions


class PublicTriageThrottle(AnonRateThrottle):
    """Per address: the public endpoint costs a classification per call."""

    scope = "triage_public"

    def get_rate(self):
        return settings.TRIAGE_PUBLIC_RATE

    def get_ident(self, request):
        # REST framework's own reading believes any X-Forwarded-For; the project's trusts listed proxies only.
        return get_client_ip(request) or ""


class TriageRequestSerializer(serializers.Serializer):
    text = TextField(trim_whitespace=False, allow_blank=True, max_length=100000,
                                 help_text=f"The facts and claims, at most {actions.MAX_TEXT} characters.")
    area = TextField(required=False, allow_blank=True, help_text="Division code, for routing.")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    people_involved = serializers.IntegerField(required=False, min_value=1, default=1)


class TriageSuggestionSerializer(serializers.Serializer):
    dispute_type = TextField()
    id = serializers.IntegerField()
    name = TextField()
    score = serializers.FloatField()
    tier = TextField()
    centre = TextField()
    window = TextField()
    team = TextField()


PublicSuggestionsResponse = inline_serializer("PublicTriageSuggestions", {"suggestions": inline_serializer(
    "PublicTriageSuggestion", {"dispute_type": TextField(), "id": serializers.IntegerField(),
                               "name": TextField(), "score": serializers.FloatField()}, many=True)})
SuggestionsResponse = inline_serializer("TriageSuggestions", {"suggestions": TriageSuggestionSerializer(many=True)})


def _ranked(name: str):
    return inline_serializer(name, {
        "mediator": serializers.IntegerField(), "name": TextField(), "score": serializers.FloatField(),
        "reasons": serializers.ListField(child=TextField()), "excluded": TextField()},
        many=True)


CASE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The case's id.")


def _get_case(request, pk):
    from yiwang.cases.models import Case

    return get_object_or_404(Case.objects.visible_to(request.user, "case.view").select_related("dispute_type"), pk=pk)


class TriageViewSet(viewsets.ViewSet):
    """Type suggestions: a person still chooses the type when registering the case."""

    @extend_schema(request=TriageRequestSerializer, responses={200: SuggestionsResponse})
    def create(self, request, format=None):
        data = TriageRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            suggestions = actions.suggest_for_staff(
                request.user, data.validated_data["text"], area_code=data.validated_data.get("area", ""),
                amount=data.validated_data.get("amount"), people_involved=data.validated_data["people_involved"])
        except Area.DoesNotExist:
            raise Http404 from None
        return Response({"suggestions": [s.as_dict() for s in suggestions]})

    @extend_schema(request=TriageRequestSerializer, responses={200: PublicSuggestionsResponse})
    @action(detail=False, methods=["post"], permission_classes=[AllowAny], authentication_classes=[],
            throttle_classes=[PublicTriageThrottle])
    def public(self, request, format=None):
        """For the online filing page: the type only (no centre, window or team), for anyone."""
        data = TriageRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggestions = actions.suggest_types(data.validated_data["text"])
        return Response({"suggestions": [
            {"dispute_type": s.dispute_type, "id": s.id, "name": s.name, "score": s.score} for s in suggestions]})


class HotlineOrderSerializer(serializers.Serializer):
    reference = TextField(max_length=60, help_text="The order's number on the 12345 platform.")
    dispute_type = TextField(max_length=40, required=False, allow_blank=True, default="",
                                         help_text="Empty: triage types it from the facts and claims.")
    area = TextField(max_length=12)
    facts = TextField(allow_blank=True)
    claims = TextField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=0)
    people_involved = serializers.IntegerField(required=False, default=1, min_value=1)
    applicants = ApplicantInputSerializer(many=True, min_length=1)
    respondents = PartyInputSerializer(many=True, required=False, default=list)


class HotlineRequestSerializer(serializers.Serializer):
    orders = HotlineOrderSerializer(many=True, min_length=1, max_length=100, help_text="1 to 100 orders.")


HotlineResponse = inline_serializer("HotlineResults", {"results": inline_serializer("HotlineResult", {
    "reference": TextField(), "case": serializers.IntegerField(allow_null=True),
    "number": TextField(), "dispute_type": TextField(),
    "from_triage": serializers.BooleanField(), "score": serializers.FloatField(allow_null=True),
    "suggestions": serializers.ListField(child=serializers.DictField()),
    "errors": serializers.DictField()}, many=True)})


class HotlineViewSet(viewsets.ViewSet):
    """12345 hotline transfers: each order becomes a case (channel hotline_12345), typed by triage when it
    has no type and the classifier is sure enough; otherwise it comes back with the suggestions."""

    @extend_schema(request=HotlineRequestSerializer, responses={200: HotlineResponse})
    def create(self, request, format=None):
        from yiwang.triage.actions.hotline import MAX_ORDERS, do_register_hotline_orders

        if not user_can(request.user, "case.intake"):
            raise PermissionRefused(_("Only staff who register cases may register 12345 transfers."))
        orders = request.data.get("orders") if isinstance(request.data, dict) else None
        if isinstance(orders, list) and len(orders) > MAX_ORDERS:
            return Response({"orders": [_("At most %(n)s orders at a time.") % {"n": MAX_ORDERS}]}, status=400)
        data = HotlineRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        results = do_register_hotline_orders([dict(order) for order in data.validated_data["orders"]], by=request.user)
        return Response({"results": results})


class MediatorViewSet(viewsets.ViewSet):
    """The mediators who may take a case, ranked, with reasons; those never suggested, with why."""

    lookup_value_regex = r"\d+"

    @extend_schema(parameters=[CASE_ID, OpenApiParameter("dialect", str, description="Prefer who speaks it.")],
                   responses=inline_serializer("MediatorRecommendation", {
        "suggested": _ranked("RankedMediator"), "excluded": _ranked("ExcludedMediator")}))
    def retrieve(self, request, pk=None, format=None):
        from yiwang.triage.recommend import recommend_mediators

        case = _get_case(request, pk)
        if not user_can(request.user, "case.route", case.area_id):
            raise PermissionRefused(_("You may not name mediators for this case."))
        suggested, excluded = recommend_mediators(case, dialect=request.query_params.get("dialect", ""))
        return Response({"suggested": [r.as_dict() for r in suggested], "excluded": [r.as_dict() for r in excluded]})


class DuplicateViewSet(viewsets.ViewSet):
    """Likely duplicates of a case among those the caller may see, across types."""

    lookup_value_regex = r"\d+"

    @extend_schema(parameters=[CASE_ID], responses=inline_serializer("LikelyDuplicates", {"duplicates": inline_serializer(
        "LikelyDuplicate", {"case": serializers.IntegerField(), "number": TextField(),
                            "dispute_type": TextField(), "score": serializers.FloatField(),
                            "reasons": serializers.ListField(child=TextField())}, many=True)}))
    def retrieve(self, request, pk=None, format=None):
        from yiwang.triage.duplicates import find_duplicates

        case = _get_case(request, pk)
        return Response({"duplicates": [d.as_dict() for d in find_duplicates(case, request.user)]})


def register(router) -> None:
    router.register("triage/hotline", HotlineViewSet, basename="triage-hotline")
    router.register("triage/mediators", MediatorViewSet, basename="triage-mediators")
    router.register("triage/duplicates", DuplicateViewSet, basename="triage-duplicates")
    router.register("triage", TriageViewSet, basename="triage")
