"""A dashboard table exported in the background (a core job): the reader follows it and downloads the same
workbook the synchronous link gives; out of scope is 404 both when starting and when following."""

import io
import re

from openpyxl import load_workbook

from yiwang.core.models import Job

PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}  # a fixed, finished year: no dependence on today


def test_the_leader_exports_a_table_as_a_job_and_downloads_the_workbook(cast, django_capture_on_commit_callbacks):
    leader = cast.client("putuo_leader")
    dashboard = leader.get("/stats/330903/?start=2025-01-01&end=2025-12-31").content.decode()
    assert 'action="/stats/330903/areas.xlsx/job"' in dashboard and "后台导出" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post("/stats/330903/areas.xlsx/job", PERIOD)
    job = Job.objects.get(started_by=cast.putuo_leader)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.area_code, job.done, job.total) == ("stats.export", "succeeded", "330903", 2, 2)

    page = leader.get(f"/jobs/{job.pk}/").content.decode()
    assert "统计表导出（Excel）" in page and "已成功" in page and "工作簿 stats-330903-areas-20250101-20251231.xlsx 已生成。" in page
    download = leader.get(re.search(r'id="job-result" href="([^"]+)"', page).group(1))
    workbook = b"".join(download.streaming_content)
    sheet = load_workbook(io.BytesIO(workbook)).active
    assert "普陀区" in sheet["A1"].value and "2025-01-01" in sheet["A2"].value
    synchronous = leader.get("/stats/330903/areas.xlsx?start=2025-01-01&end=2025-12-31")
    same = load_workbook(io.BytesIO(synchronous.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=4)] == \
           [[c.value for c in row] for row in same.iter_rows(min_row=4)]


def test_out_of_scope_is_404_to_start_and_to_follow(cast, django_capture_on_commit_callbacks):
    leader = cast.client("putuo_leader")
    assert leader.post("/stats/33/areas.xlsx/job", PERIOD).status_code == 404
    assert leader.post("/stats/330903/nonsense.xlsx/job", PERIOD).status_code == 404
    assert leader.post("/stats/330903/areas.xlsx/job", {"start": "2025-02-30"}).status_code == 400
    assert not Job.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        leader.post("/stats/330903/areas.xlsx/job", PERIOD)
    job = Job.objects.get()
    clerk = cast.client("liuheng_clerk")
    for url in (f"/jobs/{job.pk}/", f"/api/v1/jobs/{job.pk}/", f"/jobs/{job.pk}/result"):
        assert clerk.get(url).status_code == 404, url


def test_a_grant_withdrawn_before_the_job_runs_fails_it(cast, django_capture_on_commit_callbacks):
    from yiwang.core.jobs import start_job

    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("stats.export", by=cast.liuheng_clerk, area_code="330903",
                        params={"key": "areas", **PERIOD})
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "您已无权查看该区域的统计数据。" and not job.result
