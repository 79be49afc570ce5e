"""Background work on Redis with RQ (YIWANG_TASKS=rq), against a real redis-server started for this module
and RQ's own worker in burst mode (SimpleWorker: in this process, so that it reads the test's database).
Jobs and notifications stay rows in the database: when Redis loses its queue (flushed, or restarted
without persistence), nothing is lost — the sweep enqueues the job again and sends the notification."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.core import jobs, outbox
from yiwang.core.models import Job, JobStatus, Notification, NotificationStatus
from yiwang.core.transports import TRANSPORTS

pytestmark = pytest.mark.xdist_group("redis")  # one worker starts the server once

RUNS: list[int] = []
SENT: list[tuple[str, str]] = []


@jobs.register_job("test.rq", label="队列测试")
def count_run(job):
    RUNS.append(job.pk)
    job.save_result("result.txt", b"done")


class Recording:
    def send(self, recipient, text):
        SENT.append((recipient, text))


@pytest.fixture(autouse=True)
def on_rq(redis_url, settings, tmp_path, monkeypatch):
    import redis

    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setitem(TRANSPORTS, "test", Recording)
    RUNS.clear()
    SENT.clear()
    connection = redis.Redis.from_url(redis_url)
    connection.flushall()
    yield connection
    connection.flushall()


def queued() -> int:
    import django_rq

    return django_rq.get_queue("default").count


def work() -> None:
    """What `yiwang rqworker --burst --job-class django_tasks_rq.Job default` does, in this process."""
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=RQJob)
    SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)


@pytest.fixture
def starter(django_user_model):
    return django_user_model.objects.create_user("rq_starter", password="x")


def start(starter, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        return jobs.start_job("test.rq", by=starter)


def test_a_job_is_queued_in_redis_and_run_by_an_rq_worker(starter, django_capture_on_commit_callbacks):
    job = start(starter, django_capture_on_commit_callbacks)
    assert queued() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # nothing ran in the request
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and RUNS == [job.pk] and job.result
    assert queued() == 0


def test_a_job_lost_with_redis_runs_after_the_sweep_and_only_once(starter, django_capture_on_commit_callbacks,
                                                                   on_rq):
    job = start(starter, django_capture_on_commit_callbacks)
    on_rq.flushall()  # Redis restarted without persistence: the queue is gone
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and RUNS == []

    assert jobs.requeue_stale() == 0  # too early: a busy queue is not a lost one
    later = timezone.now() + jobs.REQUEUE_AFTER + dt.timedelta(seconds=1)
    assert jobs.requeue_stale(later) == 1
    assert jobs.requeue_stale(later) == 0  # touched: the next sweep waits as long again
    jobs.run_job.enqueue(job.pk)  # and should the queue hold it twice
    assert queued() == 2
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and RUNS == [job.pk]


def test_the_sweep_keeps_a_job_queued_when_redis_is_down(starter, django_capture_on_commit_callbacks, settings):
    job = start(starter, django_capture_on_commit_callbacks)
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    later = timezone.now() + jobs.REQUEUE_AFTER + dt.timedelta(seconds=1)
    assert jobs.requeue_stale(later) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.updated_at < later  # the next sweep tries again


def test_a_notification_lost_with_redis_is_sent_by_the_sweep(db, django_capture_on_commit_callbacks, on_rq):
    with django_capture_on_commit_callbacks(execute=True):
        row = outbox.notify("test", "13800000001", "您的调解会议已安排", key="rq-lost")
    assert queued() == 1  # the delivery task, in Redis
    on_rq.flushall()
    work()
    row.refresh_from_db()
    assert row.status == NotificationStatus.PENDING and SENT == []
    call_command("sweep", stdout=io.StringIO())
    row.refresh_from_db()
    assert row.status == NotificationStatus.SENT and SENT == [("13800000001", "您的调解会议已安排")]
    assert Notification.objects.count() == 1
