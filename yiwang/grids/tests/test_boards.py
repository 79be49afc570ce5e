"""日清月结、动态清零: the boards count exactly the rows, at every level, and the month-end settlement
lists what was cleared and what is carried over, and why, in PDF and Excel."""

import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yiwang.grids import actions
from yiwang.grids.boards import get_board, get_month_report, get_scope_for
from yiwang.grids.models import Grid, Open311Key, Problem, State, Visit


def today() -> datetime.date:
    """The app's local date when the test runs, never read at import."""
    return timezone.localdate()


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _problem(grid, state, reported: datetime.date, closed: datetime.date | None = None, **fields):
    """A problem put straight into `state` (the workflow itself is tested in test_workflow)."""
    return Problem.objects.create(
        category=fields.pop("category", "environment"), description=fields.pop("description", "问题"),
        grid=grid, area_id=grid.area_id if grid else "330903", state=state, reported_at=_at(reported),
        accept_due=fields.pop("accept_due", reported + datetime.timedelta(days=2)),
        closed_at=_at(closed, 16) if closed else None, **fields,
    )


@pytest.fixture
def rows(liuheng_grid, shenjiamen_grid):
    other_liuheng = Grid.objects.filter(area__code__startswith="330903100").exclude(area=liuheng_grid.area).first()
    day = datetime.timedelta(days=1)
    made = [
        _problem(liuheng_grid, State.REPORTED, today()),                                   # new today
        _problem(liuheng_grid, State.ACCEPTED, today(), handle_due=today() + 7 * day),       # new today, accepted
        _problem(liuheng_grid, State.CLOSED, today() - 3 * day, today()),                    # cleared today
        _problem(liuheng_grid, State.REPORTED, today() - 5 * day),                          # overdue (accept)
        _problem(liuheng_grid, State.IN_PROGRESS, today() - 20 * day, handle_due=today() - day),  # overdue
        _problem(liuheng_grid, State.PARKED, today() - 40 * day, handle_due=today() - 30 * day,
                 parked_reason="待资金"),                                                   # old, not overdue
        _problem(liuheng_grid, State.INVALID, today()),                                     # not open
        _problem(other_liuheng, State.DISPATCHED, today() - day, handle_due=today() + 5 * day),
        _problem(shenjiamen_grid, State.REPORTED, today()),                                 # another town
        _problem(None, State.REPORTED, today()),                                            # district triage
    ]
    return made


def _raw(problems, scope_filter):
    """The counts computed by hand from the rows, independently of the board."""
    mine = [p for p in problems if scope_filter(p)]
    open_ = [p for p in mine if p.state not in ("closed", "invalid")]
    return {
        "new_today": sum(timezone.localtime(p.reported_at).date() == today() for p in mine),
        "cleared_today": sum(p.closed_at is not None and timezone.localtime(p.closed_at).date() == today() for p in mine),
        "open": len(open_),
        "overdue": sum(p.is_overdue(today()) for p in mine),
        "parked": sum(p.state == "parked" for p in mine),
    }


@pytest.mark.parametrize("level", ["grid", "village", "town", "district"])
def test_board_counts_match_the_rows(rows, liuheng_grid, level, cast):
    code = {"grid": liuheng_grid.code, "village": liuheng_grid.area_id, "town": "330903100",
            "district": "330903"}[level]
    board = get_board(get_scope_for(cast.admin, code), today())
    everything = list(Problem.objects.all())
    if level == "grid":
        expected = _raw(everything, lambda p: p.grid_id == liuheng_grid.pk)
    else:
        expected = _raw(everything, lambda p: p.area_id.startswith(code))
    assert {k: getattr(board, k) for k in expected} == expected
    assert sum(n for _label, n in board.ages) == board.open
    if level == "district":
        assert board.new_today == 5  # the three 六横 ones, 沈家门, and the triage queue
    if level == "town":
        assert [counts["open"] for child, counts in board.rows if child.code == liuheng_grid.area_id] == [5]


def test_the_oldest_backlog_falls_in_the_last_age_bucket(rows, liuheng_grid, cast):
    board = get_board(get_scope_for(cast.admin, liuheng_grid.code), today())
    assert dict(board.ages)[">30"] == 1  # the parked one
    assert dict(board.ages)["0–1"] == 2


def test_the_board_page_shows_the_counts(rows, cast):
    page = cast.client("liuheng_staff").get(reverse("grids:board", args=["330903100"]))
    assert page.status_code == 200
    board = page.context["board"]
    assert (board.new_today, board.open, board.overdue) == (3, 6, 2)
    assert '<strong id="overdue">2</strong>' in page.content.decode()


def test_an_open311_request_without_a_grid_shows_on_the_district_board_only(demo, cast):
    key = Open311Key.objects.get(key="yiwang-demo-open311")
    actions.do_receive_request(key, category="safety", description="井盖缺失", address="某路口")
    assert get_board(get_scope_for(cast.admin, "330903"), today()).new_today == 1
    assert get_board(get_scope_for(cast.admin, "330903100"), today()).new_today == 0


def test_a_user_reaches_only_boards_in_their_grants(demo, cast, liuheng_grid):
    assert cast.client("grid_worker").get(reverse("grids:board", args=[liuheng_grid.code])).status_code == 200
    assert cast.client("grid_worker").get(reverse("grids:board", args=["330903100"])).status_code == 404
    assert cast.client("liuheng_staff").get(reverse("grids:board", args=["330903"])).status_code == 404
    assert cast.client("putuo_leader").get(reverse("grids:board", args=["330903"])).status_code == 200


# ---------------------------------------------------------------------------------------------- month end

OCT = datetime.date(2026, 10, 1)


@pytest.fixture
def october(liuheng_grid, cast):
    d = datetime.timedelta(days=1)
    cleared = _problem(liuheng_grid, State.CLOSED, OCT + 3 * d, OCT + 9 * d, description="垃圾已清运")
    parked = _problem(liuheng_grid, State.PARKED, OCT + 5 * d, parked_reason="需等待台风季后施工",
                      description="堤坝裂缝")
    late = _problem(liuheng_grid, State.CLOSED, OCT + 20 * d, datetime.date(2026, 11, 3), description="路灯")
    overdue = _problem(liuheng_grid, State.IN_PROGRESS, OCT + 12 * d, handle_due=OCT + 21 * d,
                       description="污水外溢")
    _problem(liuheng_grid, State.INVALID, OCT + 6 * d, description="重复上报")
    _problem(liuheng_grid, State.REPORTED, datetime.date(2026, 11, 2), description="十一月的")
    Visit.objects.create(grid=liuheng_grid, date=OCT + 8 * d, households_visited=12, logged_by=cast.grid_worker)
    Visit.objects.create(grid=liuheng_grid, date=OCT + 15 * d, households_visited=9, logged_by=cast.grid_worker)
    return {"cleared": cleared, "parked": parked, "late": late, "overdue": overdue}


def test_the_month_report_lists_cleared_and_carried_over_with_reasons(october, liuheng_grid, cast):
    report = get_month_report(get_scope_for(cast.admin, liuheng_grid.area_id), 2026, 10)
    assert report.cleared == [october["cleared"]]
    carried = dict(report.carried)
    assert set(carried) == {october["parked"], october["late"], october["overdue"]}
    assert "需等待台风季后施工" in carried[october["parked"]]
    assert "2026-11-03" in carried[october["late"]]
    assert (report.visits, report.households, report.reported) == (2, 21, 5)


def test_the_month_report_as_excel_reads_like_a_government_report(october, liuheng_grid, cast):
    url = reverse("grids:month_export", args=[liuheng_grid.area_id, 2026, 10, "xlsx"])
    response = cast.client("liuheng_staff").get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert "2026" in cells[0][0] and liuheng_grid.area.name in cells[0][0]
    flat = [str(c) for row in cells for c in row]
    assert "2026-10-01 — 2026-10-31" in flat
    assert "普陀区社会治理中心" in flat
    assert timezone.localdate().isoformat() in flat  # date made
    assert "垃圾已清运" in flat and "堤坝裂缝" in flat and "重复上报" not in flat and "十一月的" not in flat
    assert any("需等待台风季后施工" in c for c in flat)


def test_the_month_report_as_pdf_has_the_text(october, liuheng_grid, cast, tmp_path):
    url = reverse("grids:month_export", args=[liuheng_grid.area_id, 2026, 10, "pdf"])
    response = cast.client("liuheng_staff").get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "垃圾已清运" in text and "堤坝裂缝" in text and "2026-10-01" in text
    assert "重复上报" not in text


def test_month_reports_are_scoped(october, liuheng_grid, shenjiamen_gridder):
    from django.test import Client

    client = Client()
    client.force_login(shenjiamen_gridder)
    url = reverse("grids:month_export", args=[liuheng_grid.area_id, 2026, 10, "xlsx"])
    assert client.get(url).status_code == 404


def test_figures_for_an_area_and_period_come_straight_from_the_rows(october, liuheng_grid, cast):
    from yiwang.grids.boards import get_figures

    start, end = datetime.date(2026, 10, 1), datetime.date(2026, 11, 30)
    figures = get_figures(get_scope_for(cast.admin, "330903100"), start, end)
    visits = [v for v in Visit.objects.all() if start <= v.date <= end and v.area_id.startswith("330903100")]
    solved = [p for p in Problem.objects.filter(state="closed")
              if start <= timezone.localtime(p.closed_at).date() <= end and p.area_id.startswith("330903100")]
    assert (figures.visits, figures.households, figures.solved) == (
        len(visits), sum(v.households_visited for v in visits), len(solved)) == (2, 21, 2)
    page = cast.client("liuheng_staff").get(
        reverse("grids:figures", args=["330903100"]), {"start": "2026-10-01", "end": "2026-11-30"}
    )
    assert page.status_code == 200 and page.context["total"].solved == 2
    village_row = [r for r in page.context["rows"] if r.scope.code == liuheng_grid.area_id][0]
    assert village_row.visits == 2


def test_the_month_pdf_numbers_its_rows_and_never_splits_one_across_pages(liuheng_grid, cast, tmp_path):
    """序号 runs 1…n (the problem's own number follows its description), the header repeats, and a row
    that does not fit at the foot of a page moves whole to the next."""
    from yiwang.grids.exports import render_month_pdf

    day = datetime.timedelta(days=1)
    made = [_problem(liuheng_grid, State.CLOSED, OCT + (n % 20) * day, OCT + (n % 20 + 2) * day,
                     description=f"起{n}号：渔港码头废弃渔网和泡沫浮球堆积，影响村容村貌，雨后污水外溢，村民多次反映，"
                                 f"需要协调渔业合作社回收并清运，终{n}号")
            for n in range(60)]
    report = get_month_report(get_scope_for(cast.admin, liuheng_grid.area_id), 2026, 10)
    assert [row[0] for row in report.cleared_rows] == list(range(1, 61))
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(render_month_pdf(report))
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                           text=True).stdout.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3  # enough rows to cross pages
    for n, problem in enumerate(made):
        starts = [i for i, page in enumerate(pages) if f"起{n}号" in page]
        ends = [i for i, page in enumerate(pages) if re.search(rf"#{problem.pk}(?!\d)", page)]
        assert len(starts) == 1 and starts == ends, f"row of problem {problem.pk} split across pages {starts} {ends}"
    numbers = [int(line.split()[0]) for page in pages for line in page.splitlines()
               if line.strip() and line.split()[0].isdigit() and "【" in line]
    assert numbers == list(range(1, 61))
    assert all("序号" in page for page in pages if "【" in page)  # the header on every page
