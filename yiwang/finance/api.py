"""/api/v1/finance/batches/: a bank's core system (Authorization: Bank-Key …) or operator submits a batch
and follows it.

    POST /api/v1/finance/batches/          multipart with the file in `file`, or JSON {"rows": [{header: value}]}
                                           (an Idempotency-Key header returns the first batch on a retry)
    GET  /api/v1/finance/batches/          the caller's bank's batches
    GET  /api/v1/finance/batches/{id}/     status, counts and the report of the rows not added
    GET  /api/v1/finance/batches/{id}/rows/?outcome=rejected   every row's outcome, paginated
Another bank's batch answers 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import authentication, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from yiwang.finance import actions
from yiwang.finance.auth import BankKeyAuthentication
from yiwang.finance.models import Batch, BatchRow, RowOutcome

REPORT_LIMIT = 1000  # rows not added shown on the batch itself; /rows/ pages through all of them


class BatchRowSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True, default=None)

    class Meta:
        model = BatchRow
        fields = ["line", "reference", "outcome", "errors", "flags", "case_number"]


class BatchSerializer(serializers.ModelSerializer):
    bank = serializers.CharField(source="bank.organisation.name", read_only=True)
    report = serializers.SerializerMethodField(help_text=f"The first {REPORT_LIMIT} rows not added, with why.")

    class Meta:
        model = Batch
        fields = ["id", "bank", "name", "submitted_at", "status", "total", "done", "accepted", "rejected",
                  "duplicates", "flagged", "error", "finished_at", "report"]

    def get_report(self, batch) -> list[dict]:
        if not self.context.get("detail"):
            return []
        rows = batch.rows.exclude(outcome=RowOutcome.ACCEPTED).select_related("case").order_by("line")[:REPORT_LIMIT]
        return BatchRowSerializer(rows, many=True).data


class BatchSubmitSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text=".xlsx or .csv (UTF-8 or GB18030) in the template's columns")
    rows = serializers.ListField(child=serializers.DictField(), required=False,
                                 help_text="rows keyed by the template's Chinese headers")
    bank = serializers.IntegerField(required=False, help_text="the bank's id, for a user submitting for several")


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """A bank's batches; submit one with POST."""

    serializer_class = BatchSerializer
    authentication_classes = [BankKeyAuthentication, authentication.TokenAuthentication,
                              authentication.SessionAuthentication]
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return Batch.objects.visible_to(self.request.user).select_related("bank__organisation")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action in ("retrieve", "create")}

    @extend_schema(request=BatchSubmitSerializer, responses={202: BatchSerializer, 200: BatchSerializer})
    def create(self, request):
        data = request.data
        rows = data.get("rows") if hasattr(data, "get") and "file" not in request.FILES else None
        batch = actions.do_submit_batch(
            by=request.user, file=request.FILES.get("file"), rows=rows, bank=data.get("bank") or None,
            idempotency_key=request.headers.get("Idempotency-Key", ""))
        code = status.HTTP_202_ACCEPTED if batch.just_created else status.HTTP_200_OK
        batch.refresh_from_db()
        return Response(self.get_serializer(batch).data, status=code)

    @extend_schema(responses=BatchRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def rows(self, request, pk=None, **kwargs):
        rows = self.get_object().rows.select_related("case").order_by("line")
        if request.query_params.get("outcome") in RowOutcome.values:
            rows = rows.filter(outcome=request.query_params["outcome"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BatchRowSerializer(page, many=True).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("finance/batches", BatchViewSet, basename="finance-batch")
