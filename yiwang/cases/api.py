"""/api/v1/cases/ and /api/v1/dispute-types/. Every transition is `POST /api/v1/cases/{id}/<action>/`
and calls the same function in actions.py as the staff pages do."""

import datetime as dt

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from yiwang.api import BoundedPagination
from yiwang.areas.models import DisputeType
from yiwang.audit.actions import record
from yiwang.cases import actions, lifecycle, serializers
from yiwang.cases.models import Assignment, Attachment, Case, CaseEvent, Status
from yiwang.core import registry, uploads
from yiwang.core.scope import user_can


class DisputeTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The kinds of dispute a case can have; `code` is what POST /api/v1/cases/ takes."""

    serializer_class = serializers.DisputeTypeSerializer
    queryset = DisputeType.objects.filter(active=True)
    lookup_field = "code"
    pagination_class = None


class CaseErrorSerializer(drf_serializers.Serializer):
    detail = drf_serializers.CharField()


ACTION_ERRORS = {
    400: OpenApiResponse(description="Bad input: a message per field."),
    403: OpenApiResponse(CaseErrorSerializer, description="You may not take this action on this case."),
    404: OpenApiResponse(CaseErrorSerializer, description="No such case in your scope."),
    409: OpenApiResponse(CaseErrorSerializer, description="Not possible in the case's state, or the case changed "
                                                      "since you read it (a stale `version`)."),
}


def _merge(case, by, data):
    into = Case.objects.get_visible_or_404(by, "case.view", pk=data["into"])
    return actions.do_merge_cases(case, into=into, by=by, reason=data["reason"], version=data.get("version"))


def _record_refusal(case, by, data):
    party = case.parties.filter(pk=data.pop("party")).first()  # another case's party: refused as input
    return actions.do_record_refusal(case, by=by, party=party, **data)


def _call(name: str):
    return lambda case, by, data: getattr(actions, f"do_{name}")(case, by=by, **data)


# Steps whose API input names by id what the action takes as an object (the target case, the party).
CALLS = {"merge_cases": _merge, "record_refusal": _record_refusal}
# action URL name → (input serializer, call(case, user, validated data)), one per row of the lifecycle
# table the page offers (lifecycle.PAGE_STEPS); each returns something, the response is the case as it
# is afterwards.
TRANSITIONS = {
    step.url_name: (getattr(serializers, step.serializer), CALLS.get(step.name) or _call(step.name))
    for step in lifecycle.PAGE_STEPS
}

LIST_PARAMETERS = [
    OpenApiParameter("area", OpenApiTypes.STR, description="A division code: cases that arose in its subtree."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=None,
                     description="A status, or several separated by commas. Without it, every status but "
                                 "`merged` (a duplicate merged into another case is listed only when asked for)."),
    OpenApiParameter("received_from", OpenApiTypes.DATE, description="Received on or after this date."),
    OpenApiParameter("received_to", OpenApiTypes.DATE, description="Received on or before this date."),
    OpenApiParameter("q", OpenApiTypes.STR, description="A case number, part of a party's name, a mobile or "
                                                        "ID number."),
    OpenApiParameter("dispute_type", OpenApiTypes.STR, description="A dispute type code."),
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Only open cases past their deadline."),
    OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only cases you own or mediate."),
]


def _bool_param(params, name) -> bool:
    """A yes/no filter: 1/true or 0/false (absent is no); anything else is a 400, not silently no."""
    value = params.get(name)
    if value in (None, "", "0", "false", "False"):
        return False
    if value in ("1", "true", "True"):
        return True
    raise DRFValidationError({name: [_("Enter true or false.")]})


def _date_param(params, name) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        day = None
    # The calendar's edges (year 1, 9999) overflow when turned into a day's start in UTC or the day after.
    if day is None or not 1900 <= day.year <= 2999:
        raise DRFValidationError({name: [_("Enter a valid date (YYYY-MM-DD).")]})
    return day


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@extend_schema_view(
    list=extend_schema(parameters=LIST_PARAMETERS, summary="Cases you may see"),
    retrieve=extend_schema(summary="One case, with its timeline", responses={200: serializers.CaseDetailSerializer,
                                                                         404: ACTION_ERRORS[404]}),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Disputes in the caller's scope. Out of scope answers 404, exactly like a missing case."""

    serializer_class = serializers.CaseSerializer
    pagination_class = BoundedPagination  # a count up to 10,000 ("10,000+" past it), pages or a cursor

    def get_queryset(self):
        user = self.request.user
        # The relations the registered extra fields read (core.registry.case_api_fields) are joined too.
        extra = [name for field in registry.case_api_fields for name in field.select_related]
        qs = Case.objects.visible_to(user, "case.view").select_related(
            "dispute_type", "area", "centre", "owner", *extra
        ).prefetch_related("parties")
        if self.action != "list":
            return qs.select_related("window", "team", "lead_leader", "merged_into", "possible_duplicate")
        params = self.request.query_params
        if params.get("area"):
            qs = qs.in_area(params["area"])
        if params.get("status"):
            statuses = [s for s in params["status"].split(",") if s]
            unknown = [s for s in statuses if s not in Status.values]
            if unknown:
                raise DRFValidationError({"status": [_("Unknown status: %(s)s") % {"s": ", ".join(unknown)}]})
            qs = qs.filter(status__in=statuses)
        else:
            # A duplicate merged into another case is that case's history, not a dispute of its own: it is
            # listed only when asked for by status (status=merged), so counts agree with the statistics.
            qs = qs.exclude(status=Status.MERGED)
        received_from = _date_param(params, "received_from")
        received_to = _date_param(params, "received_to")
        if received_from:
            qs = qs.filter(received_at__gte=_start_of(received_from))
        if received_to:
            qs = qs.filter(received_at__lt=_start_of(received_to + dt.timedelta(days=1)))
        if params.get("dispute_type"):
            qs = qs.filter(dispute_type__code=params["dispute_type"])
        if _bool_param(params, "overdue"):
            qs = qs.overdue()
        if _bool_param(params, "mine"):
            qs = qs.mine(user)
        if params.get("q"):
            qs = qs.search(params["q"])
        return qs.order_by("-received_at", "-id")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.CaseDetailSerializer
        return super().get_serializer_class()

    def _detail(self, case, status_code=status.HTTP_200_OK, headers=None) -> Response:
        """The case in full. Full personal information only for pii.view, and every such read audited."""
        user = self.request.user
        context = {"request": self.request}
        if getattr(case, "just_created", False):
            # Registered in this request: read the row back once with its relations, but not what the
            # registration holds already or cannot have yet (its parties were just inserted; it has no
            # mediators, files or merged cases; its timeline is its own events).
            parties = case.parties.all()
            case = self.get_queryset().prefetch_related(None).get(pk=case.pk)
            case._prefetched_objects_cache = {"parties": parties, "assignments": Assignment.objects.none(),
                                              "attachments": Attachment.objects.none()}
            timeline = list(CaseEvent.objects.filter(case=case).order_by("at", "id"))
            for event in timeline:
                event.case = case
            context["timeline"] = timeline
        else:
            case = self.get_queryset().get(pk=case.pk)  # fresh, with everything the detail shows
        full = user_can(user, "pii.view", case.area_id)
        if full:
            record(user, "cases.pii_read", case)
        data = serializers.CaseDetailSerializer(case, context={**context, "full_pii": full}).data
        return Response(data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=serializers.CaseCreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                     description="The same key from the same user returns the same case and "
                                                 "creates nothing new.")],
        responses={201: serializers.CaseDetailSerializer, 400: ACTION_ERRORS[400], 403: ACTION_ERRORS[403]},
        summary="Register a case",
    )
    def create(self, request, *args, **kwargs):
        data = serializers.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        case = actions.do_register_case(
            by=request.user, idempotency_key=request.headers.get("Idempotency-Key", ""), **values
        )
        headers = {"Location": f"{request.path.rstrip('/')}/{case.pk}/"}
        if not case.just_created:
            headers["Idempotent-Replayed"] = "true"
        return self._detail(case, status.HTTP_201_CREATED, headers)

    @extend_schema(request=serializers.DelegationCreateSerializer,
                   responses={201: serializers.CaseDetailSerializer, 200: serializers.CaseDetailSerializer,
                              400: ACTION_ERRORS[400], 403: ACTION_ERRORS[403]},
                   summary="Register a court's delegation (委派调解)")
    @action(detail=False, methods=["post"], url_path="delegations")
    def delegations(self, request, format=None):
        data = serializers.DelegationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = actions.do_register_delegation(by=request.user, **data.validated_data)
        headers = {"Location": f"{request.path.rsplit('/delegations', 1)[0]}/{case.pk}/"}
        if not case.just_created:
            headers["Idempotent-Replayed"] = "true"
        return self._detail(case, status.HTTP_201_CREATED if case.just_created else status.HTTP_200_OK, headers)

    @extend_schema(request={"multipart/form-data": serializers.AttachmentUploadSerializer},
                   responses={201: serializers.CaseDetailSerializer, **ACTION_ERRORS}, summary="Attach a file")
    @action(detail=True, methods=["post"], url_path="attachments", parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None, format=None):
        case = self.get_object()
        data = serializers.AttachmentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_add_attachment(case, by=request.user, file=data.validated_data["file"],
                                  version=data.validated_data.get("version"))
        return self._detail(case, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ACTION_ERRORS[404]},
                   summary="Download an attachment")
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None, format=None):
        case = self.get_object()  # out of scope: 404
        attachment = get_object_or_404(Attachment, case=case, pk=attachment_id)
        record(request.user, "cases.attachment_read", case, attachment=attachment.pk)
        return uploads.stored_file_response(attachment.file, attachment.content_type or "application/octet-stream",
                                            as_attachment=True, filename=attachment.name)

    def _transition(self, request, name):
        case = self.get_object()
        serializer_class, call = TRANSITIONS[name]
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        # A refusal leaves through yiwang.api.exception_handler, after the rollback.
        with transaction.atomic():
            call(case, request.user, dict(data.validated_data))
        return self._detail(case)


def _make_transition(name: str, serializer_class):
    def transition(self, request, pk=None, format=None):  # format: the router's .json twin
        return self._transition(request, name)

    transition.__name__ = name.replace("-", "_")
    transition.__doc__ = f"POST /cases/{{id}}/{name}/ — the `{name.replace('-', '_')}` action."
    decorated = extend_schema(
        request=serializer_class, responses={200: serializers.CaseDetailSerializer, **ACTION_ERRORS},
        summary=name.replace("-", " ").capitalize(),
    )(transition)
    return action(detail=True, methods=["post"], url_path=name, url_name=name,
                  serializer_class=serializer_class)(decorated)


for _name, (_serializer, _call) in TRANSITIONS.items():
    setattr(CaseViewSet, _name.replace("-", "_"), _make_transition(_name, _serializer))


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("dispute-types", DisputeTypeViewSet, basename="dispute-type")
    router.register("cases", CaseViewSet, basename="case")
