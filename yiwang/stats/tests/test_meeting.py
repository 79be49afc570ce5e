"""The leader's meeting view: the headline figures in large type, this year's months against last year's,
the areas below ranked by cases received, the open warnings, a print style for A4 landscape."""

import re

import pytest

from yiwang.stats.tests.test_aggregates import today
from yiwang.testing import factories as f

pytestmark = pytest.mark.django_db


def test_the_meeting_view_ranks_the_towns_and_shows_the_warnings(cast):
    f.register_case(people_involved=35)  # 六横: a mass dispute raises a warning
    f.register_case(applicants=[f.applicant(phone="13857000071")])
    f.register_case(by="shenjiamen_clerk", area=f.village("330903001"), applicants=[f.applicant(phone="13857000072")])
    page = cast.client("putuo_leader").get("/stats/330903/meeting/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'id="big-received"><strong>3</strong>', html)
    rows = re.findall(r"<tr><td class=\"num\">(\d+)</td><td>([^<]+)</td><td class=\"num\">(\d+)</td>", html)
    assert rows[0] == ("1", "六横镇", "2") and rows[1] == ("2", "沈家门街道", "1")
    assert f"{today().year}年与{today().year - 1}年" in html  # the trend compares the two years
    assert 'id="meeting-warnings"' in html and ("红色" in html or "橙色" in html)
    assert "stats/meeting.css" in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script


def test_the_print_style_is_a4_landscape():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[1] / "static" / "stats" / "meeting.css").read_text()
    assert "size: A4 landscape" in css


def test_a_town_leader_cannot_open_the_districts_meeting_view(cast):
    assert cast.client("liuheng_leader").get("/stats/330903/meeting/").status_code == 404
    assert cast.client("putuo_leader").get("/stats/330903/meeting/?start=2026-13-01").status_code == 400


def test_the_monthly_report_is_landscape_with_its_charts_and_headers_on_one_line(cast, tmp_path):
    import subprocess

    f.register_case(applicants=[f.applicant(phone="13857000073")])
    response = cast.client("putuo_leader").get(f"/stats/330903/month/{today().year}-{today().month}.pdf")
    assert response.status_code == 200
    (tmp_path / "report.pdf").write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts", info), info  # A4 landscape
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    header = next(line for line in text.splitlines() if "受理案件" in line and "去年同期" in line)
    assert "办结问题" in header  # the area table's nine headers on one line, none wrapped a character a line
    assert "分地区受理案件" in text and "各月受理案件" in text  # the charts' titles
