"""Persisted jobs (NetBox's netbox/jobs.py, on the tasks API): long work a user starts and watches.

    @register_job("stats.export", label=gettext_lazy("…"))     an app declares a kind: def body(job)
        The body reads job.params / job.area_code / job.target, reports with job.progress(done, total)
        and job.log(line), and stores its file with job.save_result(name, content). An exception fails
        the job with its message; what it returns is ignored.
    start_job(kind, *, by, target=None, area_code="", params=None) → Job
        Creates the queued row (audited) and enqueues `run_job` once the caller's transaction commits.
        The app's own action checks permission and input before calling it.
    get_job_visible_or_404(user, pk) → Job     the starter's (a superuser: anyone's); else 404
    do_download_result(job, *, by) → Job        only the starter; audited as a read
    requeue_stale(now=None) → int               the sweep (`yiwang sweep`, cron): enqueue again every job
        still queued REQUEUE_AFTER after it was last touched. The row is the truth, the queue only a
        wake-up call: a task lost with its queue (Redis flushed or restarted, a crash between the commit
        and the enqueue) is sent again, and a job the queue still holds and delivers twice runs once,
        since run_job claims the row with a conditional UPDATE.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from yiwang.core import audit, hooks
from yiwang.core.models import Job, JobStatus
from yiwang.core.tasks import task

logger = logging.getLogger(__name__)

# A job queued this long without its row changing is enqueued again by the sweep. A queue that is merely
# busy gets one more message per job per period, which its claim turns into a no-op.
REQUEUE_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    body: object


JOB_KINDS: dict[str, JobKind] = {}


def register_job(code: str, *, label):
    """Declare a job kind; the decorated function is its body. Import the module from the app's ready()."""

    def decorator(body):
        if code in JOB_KINDS and JOB_KINDS[code].body is not body:
            raise ValueError(f"job kind {code!r} is registered twice")
        JOB_KINDS[code] = JobKind(code=code, label=label, body=body)
        return body

    return decorator


def get_kind_label(code: str) -> str:
    kind = JOB_KINDS.get(code)
    return str(kind.label) if kind else code


def start_job(kind: str, *, by, target=None, area_code: str = "", params: dict | None = None) -> Job:
    """Queue a job of `kind` started by `by`; it runs after the caller's transaction commits."""
    if kind not in JOB_KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, started_by=by, area_code=area_code, params=params or {},
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
        )
        audit.record(by, "core.job_started", job, kind=kind)
        transaction.on_commit(lambda: run_job.enqueue(job.pk), robust=True)
    return job


def _claim(pk: int) -> bool:
    """Queued → running in one conditional UPDATE: a job delivered twice by the queue runs once."""
    now = timezone.now()
    return Job.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, updated_at=now) == 1


def _message(error: Exception) -> str:
    """What the starter reads: a refusal's own messages (ValidationError), else the error's text."""
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return text[:2000] or type(error).__name__


def _finish(job: Job, status: str, error: str = "") -> None:
    now = timezone.now()
    job.status, job.error, job.finished_at, job.updated_at = status, error, now, now
    with transaction.atomic():
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        hooks.job_finished.call(job)


@task()
def run_job(pk: int) -> str:
    """Run one job's body in the worker and record how it ended."""
    if not _claim(pk):
        return "skipped"
    job = Job.objects.get(pk=pk)
    kind = JOB_KINDS.get(job.kind)
    try:
        if kind is None:
            raise LookupError(f"unknown job kind {job.kind!r}")
        kind.body(job)
    except Exception as error:  # noqa: BLE001 - the job's starter reads the failure on the job's page
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, error=_message(error))
        return JobStatus.FAILED
    _finish(job, JobStatus.SUCCEEDED)
    return JobStatus.SUCCEEDED


def get_job_visible_or_404(user, pk) -> Job:
    job = Job.objects.visible_to(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def do_download_result(job: Job, *, by) -> Job:
    """The starter takes the result file; an auditor sees who read which export when. Anyone else
    (a superuser too: the file may hold personal data the superuser's own grants would not show): 404."""
    if job.started_by_id != getattr(by, "pk", None) or not job.result:
        raise Http404
    audit.record(by, "core.job_result_read", job, kind=job.kind, name=job.result_name)
    return job


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Enqueue run_job again for each job still queued REQUEUE_AFTER after its row last changed, and touch
    the row so the next sweep waits as long again; returns how many were enqueued."""
    now = now or timezone.now()
    stale = list(Job.objects.filter(status=JobStatus.QUEUED, updated_at__lt=now - REQUEUE_AFTER)
                 .order_by("created_at", "id").values_list("pk", flat=True)[:10_000])
    requeued = 0
    for pk in stale:
        try:
            run_job.enqueue(pk)
        except Exception:  # noqa: BLE001 - the queue is down: the rows stay as they are for the next sweep
            logger.exception("the sweep could not enqueue job %s; the next sweep tries again", pk)
            break
        requeued += Job.objects.filter(pk=pk, status=JobStatus.QUEUED).update(updated_at=now)
    if requeued:
        logger.warning("%s queued job(s) enqueued again by the sweep", requeued)
    return requeued
