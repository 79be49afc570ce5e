"""The jobs pages: /jobs/ (mine) and /jobs/<id>/ (progress, log, result), which refreshes itself while the
job runs. Thin views over core.jobs."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from yiwang.core import jobs
from yiwang.core.models import Job
from yiwang.core.uploads import stored_file_response

REFRESH_SECONDS = 2


@login_required
def job_list(request):
    page = Paginator(Job.objects.filter(started_by=request.user), 50).get_page(request.GET.get("page"))
    rows = [(job, jobs.get_kind_label(job.kind)) for job in page]
    return render(request, "core/job_list.html", {"page": page, "rows": rows})


@login_required
def job_detail(request, pk: int):
    job = jobs.get_job_visible_or_404(request.user, pk)
    return render(request, "core/job_detail.html", {
        "job": job, "kind_label": jobs.get_kind_label(job.kind), "log_lines": job.log_lines.all(),
        "refresh": None if job.is_finished else REFRESH_SECONDS,
        "may_download": bool(job.result) and job.started_by_id == request.user.pk,
    })


@login_required
def job_result(request, pk: int):
    job = jobs.do_download_result(jobs.get_job_visible_or_404(request.user, pk), by=request.user)
    return stored_file_response(job.result, None, as_attachment=True, filename=job.result_name)


def favicon(request):
    """/favicon.ico, which browsers ask for by themselves: sent on to the static icon (looked up per
    request, so that the hashed name of a collected deployment is found once it is collected)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("yiwang/favicon.svg"))
