"""GET /api/v1/stats/cases/ and /api/v1/stats/grids/: the dashboard's figures as JSON, for an area
(division code) and a period (inclusive local dates). Definitions: yiwang.stats.figures."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from yiwang.core.db import replica_reads
from yiwang.core.fields import TextField
from yiwang.stats import actions, figures

PARAMETERS = [
    OpenApiParameter("area", OpenApiTypes.STR, description="A division code, e.g. 33 (浙江省), 330903 (普陀区), "
                     "330903100 (六横镇). Default: the widest area you may read statistics for."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (local date), default 1 January."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day (local date, included), default today."),
]
def counts():
    return serializers.DictField(child=serializers.IntegerField())


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class CaseFiguresSerializer(serializers.Serializer):
    area = TextField()
    start = serializers.DateField()
    end = serializers.DateField()
    received = serializers.IntegerField(help_text="Cases received, merged duplicates excluded.")
    merged_duplicates = serializers.IntegerField()
    received_previous_year = serializers.IntegerField(help_text="The same dates a year earlier.")
    yoy_change_percent = serializers.FloatField(allow_null=True, help_text="2 places; null when nothing to compare.")
    month = PeriodSerializer(help_text="The month of the period's end, up to the end (本月).")
    received_this_month = serializers.IntegerField()
    received_previous_month = serializers.IntegerField(help_text="The same days of the month before (上月同期).")
    mom_change_percent = serializers.FloatField(allow_null=True, help_text="This month against the month before (环比).")
    previous_year = PeriodSerializer()
    previous_month = PeriodSerializer()
    by_type = counts()
    by_channel = counts()
    by_tier = counts()
    by_outcome = counts()
    by_type_previous_year = counts()
    by_channel_previous_year = counts()
    by_tier_previous_year = counts()
    mediation_ended = serializers.IntegerField()
    mediation_agreements = serializers.IntegerField()
    mediation_success_rate = serializers.FloatField(allow_null=True)
    litigation_bound = serializers.IntegerField()
    diverted_before_litigation = serializers.IntegerField()
    pre_litigation_diversion_rate = serializers.FloatField(allow_null=True)
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    overdue_open = serializers.IntegerField(help_text="Received in the period, still open past the deadline.")
    closed_on_time_rate = serializers.FloatField(
        allow_null=True, help_text="Closed on time / (closed with a deadline + overdue_open) (按期办结率).")
    mediation_success_rate_previous_year = serializers.FloatField(allow_null=True)
    mediation_success_rate_change_points = serializers.FloatField(allow_null=True, help_text="百分点.")
    pre_litigation_diversion_rate_previous_year = serializers.FloatField(allow_null=True)
    pre_litigation_diversion_rate_change_points = serializers.FloatField(allow_null=True)
    closed_on_time_rate_previous_year = serializers.FloatField(allow_null=True)
    closed_on_time_rate_change_points = serializers.FloatField(allow_null=True)
    handling_days_mean = serializers.FloatField(allow_null=True)
    handling_days_median = serializers.FloatField(allow_null=True)
    trips = serializers.IntegerField()
    trips_per_case = serializers.FloatField(allow_null=True)
    followed_up = serializers.IntegerField()
    satisfaction_mean = serializers.FloatField(allow_null=True)


class GridFiguresSerializer(serializers.Serializer):
    area = TextField()
    start = serializers.DateField()
    end = serializers.DateField()
    visits = serializers.IntegerField()
    households_visited = serializers.IntegerField()
    reported = serializers.IntegerField(help_text="Problems found (reported) in the period.")
    by_category = counts()
    by_channel = counts()
    by_tier = counts()
    invalid = serializers.IntegerField()
    cleared = serializers.IntegerField(help_text="Problems closed in the period.")
    cleared_by_category = counts()
    previous_year = PeriodSerializer()
    visits_previous_year = serializers.IntegerField()
    reported_previous_year = serializers.IntegerField()
    cleared_previous_year = serializers.IntegerField()
    yoy_change_percent = serializers.FloatField(allow_null=True, help_text="Of problems reported.")
    visits_yoy_change_percent = serializers.FloatField(allow_null=True)
    reported_yoy_change_percent = serializers.FloatField(allow_null=True)
    cleared_yoy_change_percent = serializers.FloatField(allow_null=True)
    month = PeriodSerializer()
    previous_month = PeriodSerializer()
    visits_this_month = serializers.IntegerField()
    reported_this_month = serializers.IntegerField()
    visits_previous_month = serializers.IntegerField()
    reported_previous_month = serializers.IntegerField()
    visits_mom_change_percent = serializers.FloatField(allow_null=True)
    reported_mom_change_percent = serializers.FloatField(allow_null=True)
    backlog = serializers.IntegerField(help_text="Problems open now (not closed, not invalid), whatever the period.")
    backlog_by_state = counts()
    backlog_by_age = counts()
    backlog_mean_age_days = serializers.FloatField(allow_null=True)
    backlog_oldest_age_days = serializers.IntegerField(allow_null=True)


ERRORS = {400: OpenApiResponse(description="Bad area or dates: a message per field."),
          404: OpenApiResponse(description="The area is outside your statistics grant.")}


def _query(request):
    params = request.query_params
    return actions.check_query(request.user, area=params.get("area"), start=params.get("start"),
                               end=params.get("end"))


class CaseStatsViewSet(viewsets.ViewSet):
    """Case indicators for an area and a period (cases received in it, as they stand now)."""

    @extend_schema(parameters=PARAMETERS, responses={200: CaseFiguresSerializer, **ERRORS},
                   summary="Case statistics")
    @replica_reads
    def list(self, request, format=None):  # format: the router's .json twin
        query = _query(request)
        data = figures.get_case_figures(query.area.code, query.start, query.end)
        return Response(CaseFiguresSerializer(data).data)


class GridStatsViewSet(viewsets.ViewSet):
    """Grid indicators for an area and a period: visits, problems found and cleared, the backlog now."""

    @extend_schema(parameters=PARAMETERS, responses={200: GridFiguresSerializer, **ERRORS},
                   summary="Grid statistics")
    @replica_reads
    def list(self, request, format=None):  # format: the router's .json twin
        query = _query(request)
        data = figures.get_grid_figures(query.area.code, query.start, query.end)
        return Response(GridFiguresSerializer(data).data)


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("stats/cases", CaseStatsViewSet, basename="stats-cases")
    router.register("stats/grids", GridStatsViewSet, basename="stats-grids")
