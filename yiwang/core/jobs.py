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
        since run_job claims the row with a conditional UPDATE. A running job whose worker died (killed,
        out of memory, the machine gone) is taken back too: while a body runs, a heartbeat touches the row
        every JOB_HEARTBEAT_SECONDS, and a running row untouched for STALE_BEATS heartbeats is queued
        again and runs as its next attempt (failed after MAX_ATTEMPTS). A body must therefore be safe to
        run again: it starts over (an export) or resumes from what it recorded (finance.process_batch
        skips the rows it already wrote); job.attempt > 1 tells it that it is a rerun.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core import audit, hooks
from yiwang.core.models import Job, JobLogLine, JobStatus
from yiwang.core.tasks import task

logger = logging.getLogger(__name__)

# A job queued this long without its row changing is enqueued again by the sweep. A queue that is merely
# busy gets one more message per job per period, which its claim turns into a no-op.
REQUEUE_AFTER = dt.timedelta(minutes=10)
# A running job's heartbeat comes every settings.JOB_HEARTBEAT_SECONDS; missing this many in a row means
# its worker is gone. A job whose workers died this many times is failed rather than run again.
STALE_BEATS = 5
MAX_ATTEMPTS = 3


def heartbeat_seconds() -> int:
    return int(getattr(settings, "JOB_HEARTBEAT_SECONDS", 30))


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
        status=JobStatus.RUNNING, started_at=now, updated_at=now, attempt=F("attempt") + 1) == 1


class _Heartbeat(threading.Thread):
    """Touches the running job's row every heartbeat_seconds() while its body runs (on its own database
    connection), so that the sweep can tell a long job from one whose worker died."""

    def __init__(self, pk: int, attempt: int):
        super().__init__(name=f"job-{pk}-heartbeat", daemon=True)
        self.pk, self.attempt, self.stopped = pk, attempt, threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self.stopped.wait(heartbeat_seconds()):
                try:
                    Job.objects.filter(pk=self.pk, status=JobStatus.RUNNING, attempt=self.attempt).update(
                        updated_at=timezone.now())
                except Exception:  # noqa: BLE001 - the database is away for a moment: beat again later
                    logger.warning("job %s: heartbeat not recorded", self.pk, exc_info=True)
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def _message(error: Exception) -> str:
    """What the starter reads: a refusal's own messages (ValidationError), else the error's text."""
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return text[:2000] or type(error).__name__


def _finish(job: Job, status: str, error: str = "") -> None:
    """Record the end, only if this is still the job's current attempt (a worker the sweep gave up on
    that comes back to life must not overwrite the rerun's outcome)."""
    now = timezone.now()
    with transaction.atomic():
        if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempt=job.attempt).update(
                status=status, error=error, finished_at=now, updated_at=now):
            logger.warning("job %s attempt %s ended after it was taken back; its end is not recorded",
                           job.pk, job.attempt)
            return
        job.status, job.error, job.finished_at, job.updated_at = status, error, now, now
        hooks.job_finished.call(job)


@task()
def run_job(pk: int) -> str:
    """Run one job's body in the worker and record how it ended."""
    if not _claim(pk):
        return "skipped"
    job = Job.objects.get(pk=pk)
    kind = JOB_KINDS.get(job.kind)
    heartbeat = _Heartbeat(job.pk, job.attempt)
    heartbeat.start()
    try:
        if kind is None:
            raise LookupError(f"unknown job kind {job.kind!r}")
        kind.body(job)
    except Exception as error:  # noqa: BLE001 - the job's starter reads the failure on the job's page
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        heartbeat.stop()
        _finish(job, JobStatus.FAILED, error=_message(error))
        return JobStatus.FAILED
    heartbeat.stop()
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


def take_back_abandoned(now: dt.datetime) -> list[int]:
    """Running jobs whose heartbeat stopped: queued again (to be enqueued by the caller), or failed once
    their workers died MAX_ATTEMPTS times. Returns the pks queued again."""
    cutoff = now - dt.timedelta(seconds=STALE_BEATS * heartbeat_seconds())
    abandoned = list(Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff)
                     .order_by("updated_at", "id").values_list("pk", "attempt")[:10_000])
    queued = []
    for pk, attempt in abandoned:
        row = Job.objects.filter(pk=pk, status=JobStatus.RUNNING, attempt=attempt, updated_at__lt=cutoff)
        if attempt >= MAX_ATTEMPTS:
            if row.update(status=JobStatus.FAILED, finished_at=now, updated_at=now, error=_(
                    "Its worker stopped %(n)s times while running it; it is not run again.") % {"n": attempt}):
                job = Job.objects.get(pk=pk)
                hooks.job_finished.call(job)
            continue
        if row.update(status=JobStatus.QUEUED, updated_at=now):
            JobLogLine.objects.create(job_id=pk, text=_(
                "Its worker stopped while running it (attempt %(n)s): it runs again.") % {"n": attempt})
            queued.append(pk)
    if abandoned:
        logger.warning("%s running job(s) whose worker stopped taken back by the sweep", len(abandoned))
    return queued


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Enqueue run_job again for each job still queued REQUEUE_AFTER after its row last changed, and touch
    the row so the next sweep waits as long again, and for each running job whose worker died
    (take_back_abandoned); returns how many were enqueued."""
    now = now or timezone.now()
    requeued = 0
    for pk in take_back_abandoned(now):
        try:
            run_job.enqueue(pk)
        except Exception:  # noqa: BLE001 - the row is queued: the queued rule sends it once the queue is back
            logger.exception("the sweep could not enqueue job %s; a later sweep does", pk)
            continue
        requeued += 1
    stale = list(Job.objects.filter(status=JobStatus.QUEUED, updated_at__lt=now - REQUEUE_AFTER)
                 .order_by("created_at", "id").values_list("pk", flat=True)[:10_000])
    for pk in stale:
        try:
            run_job.enqueue(pk)
        except Exception:  # noqa: BLE001 - the queue is down: the rows stay as they are for the next sweep
            logger.exception("the sweep could not enqueue job %s; the next sweep tries again", pk)
            break
        requeued += Job.objects.filter(pk=pk, status=JobStatus.QUEUED).update(updated_at=now)
    if requeued:
        logger.warning("%s job(s) enqueued again by the sweep", requeued)
    return requeued
