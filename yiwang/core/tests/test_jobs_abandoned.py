"""A job whose worker died while running it (issue 21's faults): the sweep takes it back once its heartbeat
stops and it runs again as its next attempt; a live job is left alone; after MAX_ATTEMPTS it fails; the
worker the sweep gave up on cannot record an end over the rerun's; the heartbeat keeps a long job alive."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.core import jobs
from yiwang.core.models import Job, JobStatus

RUNS: list[int] = []


@jobs.register_job("test.rerun", label="重跑测试")
def count_attempts(job):
    RUNS.append(job.attempt)
    job.log(f"第 {job.attempt} 次")


@pytest.fixture(autouse=True)
def _reset():
    RUNS.clear()


def left_running(user, *, attempt=1, beats_ago: float = jobs.STALE_BEATS + 1) -> Job:
    """A job a worker claimed and then died on: running, its row last touched `beats_ago` heartbeats ago."""
    touched = timezone.now() - dt.timedelta(seconds=beats_ago * jobs.heartbeat_seconds())
    return Job.objects.create(kind="test.rerun", started_by=user, status=JobStatus.RUNNING, attempt=attempt,
                              started_at=touched, updated_at=touched)


def test_a_job_left_running_by_a_dead_worker_runs_again_after_the_sweep(db, django_user_model):
    job = left_running(django_user_model.objects.create_user("starter_dead"))
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    job.refresh_from_db()
    assert (job.status, job.attempt, RUNS) == (JobStatus.SUCCEEDED, 2, [2])
    assert [line.text for line in job.log_lines.order_by("pk")] == [
        "执行该任务的工作进程中断（第 1 次）：任务将重新执行。", "第 2 次"]
    assert jobs.requeue_stale() == 0 and RUNS == [2]  # a second sweep finds nothing


def test_a_running_job_whose_heartbeat_is_fresh_is_left_alone(db, django_user_model):
    job = left_running(django_user_model.objects.create_user("starter_live"), beats_ago=jobs.STALE_BEATS - 1)
    assert jobs.requeue_stale() == 0
    job.refresh_from_db()
    assert (job.status, job.attempt, RUNS) == (JobStatus.RUNNING, 1, [])


def test_a_job_whose_workers_died_max_attempts_times_fails_with_the_reason(db, django_user_model):
    job = left_running(django_user_model.objects.create_user("starter_oom"), attempt=jobs.MAX_ATTEMPTS)
    assert jobs.requeue_stale() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None and RUNS == []
    assert job.error == f"执行该任务的工作进程已中断 {jobs.MAX_ATTEMPTS} 次，不再重试。"


def test_the_worker_given_up_on_cannot_record_an_end_over_the_rerun(db, django_user_model):
    job = left_running(django_user_model.objects.create_user("starter_zombie"))
    stale = Job.objects.get(pk=job.pk)  # what the first worker holds: attempt 1
    Job.objects.filter(pk=job.pk).update(attempt=2)  # the sweep took it back and a rerun claimed it
    jobs._finish(stale, JobStatus.FAILED, "the first worker woke up")
    job.refresh_from_db()
    assert (job.status, job.error, job.finished_at) == (JobStatus.RUNNING, "", None)


def test_the_heartbeat_touches_the_row_of_a_running_job_and_stops_with_it(transactional_db, django_user_model,
                                                                          settings):
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = left_running(django_user_model.objects.create_user("starter_long"), beats_ago=1000)
    before = Job.objects.get(pk=job.pk).updated_at
    beat = jobs._Heartbeat(job.pk, 1)
    beat.start()
    deadline = time.monotonic() + 5
    while Job.objects.get(pk=job.pk).updated_at == before and time.monotonic() < deadline:
        time.sleep(0.02)
    beat.stop()
    assert Job.objects.get(pk=job.pk).updated_at > before
    assert not beat.is_alive()
    settings.JOB_HEARTBEAT_SECONDS = 30
    assert jobs.requeue_stale() == 0  # alive as far as the sweep can tell
