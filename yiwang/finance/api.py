"""/api/v1/finance/batches/: a bank's core system (Authorization: Bank-Key …) or operator submits a batch
and follows it.

    POST /api/v1/finance/batches/          multipart with the file in `file`, or JSON {"rows": [{header: value}]}
                                           (an Idempotency-Key header returns the first batch on a retry)
    GET  /api/v1/finance/batches/          the caller's bank's batches
    GET  /api/v1/finance/batches/{id}/     status, counts and the report of the rows not added
    GET  /api/v1/finance/batches/{id}/rows/?outcome=rejected   every row's outcome, paginated
    POST /api/v1/finance/batches/{id}/allocate/          the committee assigns the batch's waiting cases in
                                           bulk: {"mediators": [ids], "min_amount", "max_amount", "limit"}
    GET  /api/v1/finance/allocations/{id}/ its progress and each case's outcome
    POST /api/v1/finance/batches/{id}/notify-borrowers/  text each borrower not told yet their private link
    GET  /api/v1/finance/cases/{case id}/plan/            the repayment plan, its instalments (overdue marked)
    POST /api/v1/finance/cases/{case id}/plan/            the mediator sets it: {"instalments": [{"amount", "due_on"}]}
    POST /api/v1/finance/cases/{case id}/payments/        the bank or the mediator: {"amount", "paid_on", "reference"}
    POST /api/v1/finance/court-numbers/    the court's 案号 in bulk: a CSV in `file`, or {"rows": [{"案件编号"|"银行业务编号", "案号"}]}
    GET  /api/v1/finance/statistics/       per bank: received, accepted, mediated, litigation, amounts
Another bank's batch answers 404.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import authentication, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from yiwang.accounts.tokens import HashedTokenAuthentication
from yiwang.core.fields import TextField
from yiwang.core.parsers import SafeJSONParser
from yiwang.finance import actions
from yiwang.finance.api_flow import AllocateSerializer, AllocationSerializer
from yiwang.finance.auth import BankKeyAuthentication
from yiwang.finance.models import Batch, BatchRow, RowOutcome

REPORT_LIMIT = 1000  # rows not added shown on the batch itself; /rows/ pages through all of them


class BatchRowSerializer(serializers.ModelSerializer):
    case_number = TextField(source="case.number", read_only=True, default=None)

    class Meta:
        model = BatchRow
        fields = ["line", "reference", "outcome", "errors", "flags", "case_number"]


class BatchSerializer(serializers.ModelSerializer):
    bank = TextField(source="bank.organisation.name", read_only=True)
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


class BatchFileSerializer(serializers.Serializer):
    """The schema of a multipart submission: the file."""

    file = serializers.FileField(help_text=".xlsx or .csv (UTF-8 or GB18030) in the template's columns")
    bank = serializers.IntegerField(required=False, help_text="the bank's id, for a user submitting for several")


class BatchRowsSerializer(serializers.Serializer):
    """The schema of a JSON submission: the rows (a JSON body cannot carry a file)."""

    rows = serializers.ListField(child=serializers.DictField(), min_length=1,
                                 help_text="rows keyed by the template's Chinese headers")
    bank = serializers.IntegerField(required=False, help_text="the bank's id, for a user submitting for several")


class BatchViewSet(viewsets.ReadOnlyModelViewSet):
    """A bank's batches; submit one with POST."""

    serializer_class = BatchSerializer
    authentication_classes = [BankKeyAuthentication, HashedTokenAuthentication,
                              authentication.SessionAuthentication]
    parser_classes = [SafeJSONParser, MultiPartParser]

    def get_queryset(self):
        return Batch.objects.visible_to(self.request.user).select_related("bank__organisation")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action in ("retrieve", "create")}

    @extend_schema(request={"multipart/form-data": BatchFileSerializer, "application/json": BatchRowsSerializer},
                   responses={202: BatchSerializer, 200: BatchSerializer})
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


    def _routed_batch(self) -> Batch:
        """The batch, for the committee's staff; to anyone else (its bank's own operator too), 404 as the
        page answers: the committee's work is not the bank's to see."""
        from yiwang.finance.views_flow import _may_route

        batch = self.get_object()
        if not _may_route(self.request.user, batch.bank):
            raise NotFound
        return batch

    @extend_schema(request=AllocateSerializer, responses={202: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None, **kwargs):
        batch = self._routed_batch()
        data = AllocateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = actions.do_start_allocation(batch, by=request.user, **data.validated_data)
        allocation.refresh_from_db()
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: serializers.DictField()})
    @action(detail=True, methods=["post"], url_path="notify-borrowers")
    def notify_borrowers(self, request, pk=None, **kwargs):
        told = actions.do_notify_borrowers(self._routed_batch(), by=request.user,
                                           base_url=request.build_absolute_uri("/").rstrip("/"))
        return Response({"told": told})


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from yiwang.finance import api_flow

    router.register("finance/batches", BatchViewSet, basename="finance-batch")
    api_flow.register(router)
