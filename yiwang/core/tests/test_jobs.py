"""Jobs: the starter follows progress and log on the page and through the API while the job runs, and
takes its result; anyone else gets 404; a failing job ends failed with its error."""

import pytest
from django.http import Http404
from django.test import Client

from yiwang.core import audit, jobs
from yiwang.core.models import Job, JobStatus

SEEN_WHILE_RUNNING = []
WATCHER: dict = {}


@jobs.register_job("test.count", label="清点测试")
def count_households(job):
    job.progress(0, 2)
    job.log("开始清点：沈家门街道")
    job.progress(1, 2)
    client = WATCHER.get("client")
    if client is not None:  # the starter looks in while the job is half done
        SEEN_WHILE_RUNNING.append((client.get(f"/api/v1/jobs/{job.pk}/").json(),
                                   client.get(f"/jobs/{job.pk}/").content.decode()))
    job.save_result("households.csv", "户号,人数\n1,3\n".encode())
    job.log("清点完成")
    job.progress(2, 2)


@jobs.register_job("test.fail", label="失败测试")
def fail(job):
    job.log("读取上月数据")
    raise ValueError("上月数据缺失")


@pytest.fixture
def people(django_user_model):
    make = django_user_model.objects.create_user
    return {"starter": make("job_starter", password="x"), "other": make("job_other", password="x"),
            "root": django_user_model.objects.create_superuser("job_root", password="x")}


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.fixture
def audited(monkeypatch):
    events = []
    monkeypatch.setattr(audit, "_recorder", lambda actor, verb, obj=None, **detail: events.append((actor, verb, obj)))
    return events


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Start a job and let the commit enqueue it (the immediate test backend runs it at once)."""

    def start(kind, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_job(kind, **kwargs)
        job.refresh_from_db()
        return job

    return start


@pytest.fixture(autouse=True)
def _reset():
    SEEN_WHILE_RUNNING.clear()
    WATCHER.clear()
    yield
    WATCHER.clear()


def test_the_starter_follows_progress_and_log_while_it_runs_and_takes_the_result(db, people, run_now, audited):
    starter = client_for(people["starter"])
    WATCHER["client"] = starter
    job = run_now("test.count", by=people["starter"], area_code="330903001", params={"month": "2026-11"})

    (api, page), = SEEN_WHILE_RUNNING
    assert api["status"] == "running" and (api["done"], api["total"], api["percent"]) == (1, 2, 50)
    assert [line["text"] for line in api["log"]] == ["开始清点：沈家门街道"] and api["result_url"] is None
    assert 'http-equiv="refresh"' in page and 'value="50"' in page and "开始清点：沈家门街道" in page
    assert "运行中" in page and "已完成 1 / 2" in page

    assert job.status == JobStatus.SUCCEEDED and job.finished_at and job.error == ""
    api = starter.get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["status"] == "succeeded" and api["percent"] == 100 and api["kind_label"] == "清点测试"
    assert [line["text"] for line in api["log"]] == ["开始清点：沈家门街道", "清点完成"]
    page = starter.get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "已成功" in page and 'id="job-result"' in page

    download = starter.get(api["result_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == "户号,人数\n1,3\n".encode()
    assert "households.csv" in download["Content-Disposition"]
    assert (people["starter"], "core.job_result_read", job) in audited
    assert [row["id"] for row in starter.get("/api/v1/jobs/").json()["results"]] == [job.pk]
    assert f'href="/jobs/{job.pk}/"' in starter.get("/jobs/").content.decode()


def test_a_result_whose_stored_file_is_gone_is_404_not_500(db, people, run_now, audited, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = run_now("test.count", by=people["starter"])
    starter = client_for(people["starter"])
    assert starter.get(f"/jobs/{job.pk}/result").status_code == 200
    (tmp_path / job.result.name).unlink()
    assert starter.get(f"/jobs/{job.pk}/result").status_code == 404


def test_anyone_else_gets_404_and_a_superuser_sees_but_does_not_download(db, people, run_now, audited):
    job = run_now("test.count", by=people["starter"])
    other = client_for(people["other"])
    for url in (f"/jobs/{job.pk}/", f"/api/v1/jobs/{job.pk}/", f"/jobs/{job.pk}/result"):
        assert other.get(url).status_code == 404, url
    assert other.get("/api/v1/jobs/").json()["results"] == []
    assert f"/jobs/{job.pk}/" not in other.get("/jobs/").content.decode()

    root = client_for(people["root"])
    assert root.get(f"/jobs/{job.pk}/").status_code == 200
    assert root.get(f"/api/v1/jobs/{job.pk}/").json()["result_url"] is None
    assert root.get(f"/jobs/{job.pk}/result").status_code == 404
    assert not [event for event in audited if event[1] == "core.job_result_read"]

    anonymous = Client()
    assert anonymous.get(f"/jobs/{job.pk}/").status_code == 302
    assert anonymous.get(f"/api/v1/jobs/{job.pk}/").status_code in (401, 403)


def test_a_failing_job_ends_failed_with_its_error(db, people, run_now, audited):
    job = run_now("test.fail", by=people["starter"])
    assert job.status == JobStatus.FAILED and job.error == "上月数据缺失" and job.finished_at
    starter = client_for(people["starter"])
    api = starter.get(f"/api/v1/jobs/{job.pk}/").json()
    assert api["status"] == "failed" and api["error"] == "上月数据缺失" and api["result_url"] is None
    page = starter.get(f"/jobs/{job.pk}/").content.decode()
    assert "已失败" in page and "上月数据缺失" in page and "读取上月数据" in page
    assert 'http-equiv="refresh"' not in page


@jobs.register_job("test.refuse", label="拒绝测试")
def refuse(job):
    from django.core.exceptions import ValidationError

    raise ValidationError({"area": ["未知的区划代码：99"]})


def test_a_refused_job_shows_the_refusal_not_its_repr(db, people, run_now, audited):
    job = run_now("test.refuse", by=people["starter"])
    assert job.status == JobStatus.FAILED and job.error == "未知的区划代码：99"


def test_a_job_delivered_twice_runs_once(db, people, run_now, audited):
    job = run_now("test.count", by=people["starter"])
    jobs.run_job.enqueue(job.pk)
    assert job.log_lines.count() == 2


def test_starting_is_audited_and_runs_only_after_the_commit(db, people, audited, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.start_job("test.count", by=people["starter"])
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED and len(callbacks) == 1
    assert (people["starter"], "core.job_started", job) in audited


def test_an_unknown_kind_is_refused_and_a_foreign_download_is_404(db, people, run_now, audited):
    with pytest.raises(ValueError):
        jobs.start_job("no.such.kind", by=people["starter"])
    job = run_now("test.count", by=people["starter"])
    with pytest.raises(Http404):
        jobs.do_download_result(job, by=people["other"])


def test_job_finished_is_called_once_with_the_job_as_it_ended(db, people, run_now, audited):
    from yiwang.core import hooks

    seen = []

    def handler(job):
        seen.append((job.pk, job.status, job.finished_at is not None))

    hooks.job_finished.connect(handler)
    try:
        ok = run_now("test.count", by=people["starter"])
        failed = run_now("test.fail", by=people["starter"])
    finally:
        hooks.job_finished.disconnect(handler)
    assert seen == [(ok.pk, JobStatus.SUCCEEDED, True), (failed.pk, JobStatus.FAILED, True)]
