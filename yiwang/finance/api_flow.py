"""The desk's API after intake (documented in finance.api's docstring): bulk assignments, the repayment
plan and payments of a bank's case, the court's 案号 in bulk, per-bank statistics. Each endpoint calls the
same action as the page; refusals go through the project's one exception handler."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from yiwang.accounts.tokens import HashedTokenAuthentication
from yiwang.cases.models import Case
from yiwang.core.fields import TextField
from yiwang.core.parsers import SafeJSONParser
from yiwang.finance.auth import BankKeyAuthentication
from yiwang.finance.models import Allocation, AllocationItem, Instalment, Payment, RepaymentPlan

AUTH = [BankKeyAuthentication, HashedTokenAuthentication, authentication.SessionAuthentication]


class AllocationItemSerializer(serializers.ModelSerializer):
    case_number = TextField(source="case.number", read_only=True)
    mediator = TextField(source="mediator.username", read_only=True)

    class Meta:
        model = AllocationItem
        fields = ["case", "case_number", "mediator", "outcome", "message"]


class AllocationSerializer(serializers.ModelSerializer):
    items = AllocationItemSerializer(many=True, read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "batch", "started_at", "status", "total", "done", "assigned", "failed", "finished_at",
                  "criteria", "items"]


class AllocateSerializer(serializers.Serializer):
    mediators = serializers.ListField(child=serializers.IntegerField(), help_text="the mediators' user ids")
    min_amount = TextField(required=False, allow_blank=True, help_text="amount owed from (yuan)")
    max_amount = TextField(required=False, allow_blank=True, help_text="amount owed up to (yuan)")
    limit = serializers.IntegerField(required=False, allow_null=True, help_text="at most this many cases")


class AllocationViewSet(viewsets.ReadOnlyModelViewSet):
    """The committee's bulk assignments, with each case's outcome."""

    serializer_class = AllocationSerializer
    authentication_classes = AUTH

    def get_queryset(self):
        return Allocation.objects.visible_to(self.request.user).prefetch_related("items__case", "items__mediator")


class InstalmentSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Instalment
        fields = ["number", "amount", "due_on", "paid", "paid_on", "overdue"]

    def get_overdue(self, instalment) -> bool:
        return instalment.is_overdue(timezone.localdate())


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "amount", "paid_on", "reference", "recorded_at"]


class PlanSerializer(serializers.ModelSerializer):
    case_number = TextField(source="case.number", read_only=True)
    instalments = InstalmentSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = RepaymentPlan
        fields = ["case", "case_number", "total", "paid", "completed_on", "instalments", "payments"]


class InstalmentInputSerializer(serializers.Serializer):
    amount = TextField()
    due_on = TextField(help_text="YYYY-MM-DD")


class PlanInputSerializer(serializers.Serializer):
    instalments = InstalmentInputSerializer(many=True)


class PaymentInputSerializer(serializers.Serializer):
    amount = TextField()
    paid_on = TextField(help_text="YYYY-MM-DD")
    reference = TextField(required=False, allow_blank=True, help_text="the bank's own, for retries")


class BankCaseViewSet(viewsets.GenericViewSet):
    """A bank's case, by the case's id: its repayment plan and payments."""

    authentication_classes = AUTH
    queryset = Case.objects.none()

    def _case(self, pk):
        case = Case.objects.get_visible_or_404(self.request.user, "case.view", pk=pk)
        get_object_or_404(Case.objects.filter(bank_case__isnull=False), pk=case.pk)
        return case

    @extend_schema(request=PlanInputSerializer, responses={200: PlanSerializer, 201: PlanSerializer})
    @action(detail=True, methods=["get", "post"])
    def plan(self, request, pk=None, **kwargs):
        from yiwang.finance import actions

        case = self._case(pk)
        if request.method == "POST":
            data = PlanInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            plan = actions.do_set_plan(case, by=request.user, instalments=data.validated_data["instalments"])
            return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)
        plan = RepaymentPlan.objects.filter(case=case).first()
        if plan is None:  # no plan yet: an empty one, so that a bank's system need not tell 404s apart
            return Response({"case": case.pk, "case_number": case.number, "total": None, "paid": None,
                             "completed_on": None, "instalments": [], "payments": []})
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=PaymentInputSerializer, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None, **kwargs):
        from yiwang.finance import actions

        plan = get_object_or_404(RepaymentPlan, case=self._case(pk))
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.do_record_payment(plan, by=request.user, **data.validated_data)
        plan.refresh_from_db()
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class CourtNumbersInputSerializer(serializers.Serializer):
    file = serializers.FileField(required=False, help_text="CSV: 案件编号 or 银行业务编号, and 案号")
    rows = serializers.ListField(child=serializers.DictField(), required=False)


class CourtNumbersViewSet(viewsets.ViewSet):
    """The court's liaison records 案号 in bulk."""

    authentication_classes = AUTH
    parser_classes = [SafeJSONParser, MultiPartParser]

    @extend_schema(request=CourtNumbersInputSerializer, responses={201: serializers.DictField()})
    def create(self, request, **kwargs):
        from yiwang.finance import actions

        rows = request.data.get("rows") if "file" not in request.FILES else None
        upload = actions.do_upload_court_numbers(by=request.user, file=request.FILES.get("file"), rows=rows)
        return Response({"id": upload.pk, "recorded": upload.recorded, "refused": upload.refused,
                         "report": upload.report}, status=status.HTTP_201_CREATED)


class PaymentFileInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx or .csv (UTF-8 or GB18030): 银行业务编号, 还款金额, 还款日期, 还款流水号")


class PaymentFilesViewSet(viewsets.ViewSet):
    """A bank's payments by file (its own cases), or the committee's staff for it; the answer says each row's
    outcome (recorded, already: the 还款流水号 was recorded before, refused with its message)."""

    authentication_classes = AUTH
    parser_classes = [MultiPartParser]

    @extend_schema(request=PaymentFileInputSerializer, responses={200: serializers.DictField()})
    def create(self, request, **kwargs):
        from yiwang.finance import actions

        result = actions.do_upload_payments(by=request.user, file=request.FILES.get("file"))
        return Response(result.as_dict())


class StatisticsViewSet(viewsets.ViewSet):
    """Per bank (the banks the caller sees: a bank's operator or key only its own)."""

    authentication_classes = AUTH

    @extend_schema(responses={200: serializers.ListField(child=serializers.DictField())})
    def list(self, request, **kwargs):
        from yiwang.finance import actions

        rows = []
        for f in actions.get_bank_statistics(request.user):
            rows.append({"bank": f.bank.pk, "name": str(f.bank), "received": f.received, "accepted": f.accepted,
                         "mediated": f.mediated, "litigation": f.litigation, "closed": f.closed,
                         "amount_in_dispute": str(f.amount_in_dispute), "amount_recovered": str(f.amount_recovered),
                         "average_days_to_close": f.average_days_to_close, "success_rate": f.success_rate})
        return Response(rows)


def register(router) -> None:
    router.register("finance/allocations", AllocationViewSet, basename="finance-allocation")
    router.register("finance/cases", BankCaseViewSet, basename="finance-case")
    router.register("finance/court-numbers", CourtNumbersViewSet, basename="finance-court-numbers")
    router.register("finance/statistics", StatisticsViewSet, basename="finance-statistics")
    router.register("finance/payment-files", PaymentFilesViewSet, basename="finance-payment-files")
