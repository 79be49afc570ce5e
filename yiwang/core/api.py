"""GET /api/v1/jobs/ (my jobs) and /api/v1/jobs/{id}/: status, progress and log of a job the caller
started (a superuser: any job). Anyone else's job answers 404."""

from django.urls import reverse
from rest_framework import serializers, viewsets

from yiwang.core.jobs import get_kind_label
from yiwang.core.models import Job, JobLogLine


class JobLogLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobLogLine
        fields = ["at", "text"]


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True, allow_null=True)
    log = JobLogLineSerializer(source="log_lines", many=True, read_only=True)
    result_url = serializers.SerializerMethodField(help_text="The result file, for the job's starter; null until ready.")

    class Meta:
        model = Job
        fields = ["id", "kind", "kind_label", "area_code", "status", "done", "total", "percent", "error",
                  "created_at", "started_at", "finished_at", "updated_at", "result_name", "result_url", "log"]

    def get_kind_label(self, job) -> str:
        return get_kind_label(job.kind)

    def get_result_url(self, job) -> str | None:
        request = self.context.get("request")
        if not job.result or request is None or job.started_by_id != request.user.pk:
            return None
        return request.build_absolute_uri(reverse("core:job_result", args=[job.pk]))


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Jobs the caller started, newest first; follow one by polling its detail."""

    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user).prefetch_related("log_lines")


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("jobs", JobViewSet, basename="job")
