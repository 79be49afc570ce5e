"""The leaders' dashboard: an area's figures for a period, drill-down to the areas below, charts, an
Excel file per table and the monthly report as PDF. Thin views over figures.py and tables.py."""

from __future__ import annotations

import calendar
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yiwang.areas.models import Area
from yiwang.core.db import replica_reads
from yiwang.core.scope import user_can
from yiwang.documents import render_pdf
from yiwang.stats import actions, charts, figures, tables
from yiwang.stats.exports import get_table_export


@login_required
def home(request):
    """Open the dashboard of the widest area the reader may see."""
    code = actions.get_default_area(request.user)
    if code is None:
        raise Http404
    return redirect("stats:dashboard", code=code)


def _query(request, code):
    return actions.check_query(request.user, area=code, start=request.GET.get("start"), end=request.GET.get("end"))


def _breadcrumbs(user, area: Area, start, end) -> list[tuple[str, str]]:
    return [(above.name, tables.dashboard_url(above.code, start, end))
            for above in area.ancestors() if user_can(user, "stats.view", above.code)]


def _last_months(end: dt.date, count: int = 12) -> list[dt.date]:
    months, month = [], end.replace(day=1)
    for _i in range(count):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


@login_required
@replica_reads
def dashboard(request, code):
    query = _query_or_400(request, code)
    if isinstance(query, HttpResponse):
        return query
    area, start, end = query.area, query.start, query.end
    cases = figures.get_case_figures(area.code, start, end)
    grids = figures.get_grid_figures(area.code, start, end)
    all_tables = tables.get_tables(area, start, end, cases, grids)
    area_rows = [(row[0].text, row[1].value, row[0].href) for row in all_tables[0].rows[:-1]]
    trend = [(f"{m:%m}", received, problems)
             for m, received, problems in figures.get_monthly_received(area.code, _last_months(end))]
    links = tables.Links(area, start, end)
    previous_month = end.replace(day=1) - dt.timedelta(days=1)
    return render(request, "stats/dashboard.html", {
        "area": area, "start": start, "end": end, "cases": cases, "grids": grids, "tables": all_tables,
        "links": {"received": links.cases(), "open": links.cases(state="open"), "closed": links.cases(state="closed"),
                  "overdue": links.cases(state="overdue"),
                  "problems": links.problems(), "backlog": links.problems(show="open")},
        "breadcrumbs": _breadcrumbs(request.user, area, start, end),
        "area_chart": charts.bar_chart(_("Cases received by area"), area_rows) if len(area_rows) > 1 else "",
        "trend_chart": charts.column_chart(_("Cases and grid problems by month"), trend,
                                           (_("Cases"), _("Grid problems"))),
        "report_month": previous_month, "this_month": end.replace(day=1),
    })


def _year_trend(code: str, end: dt.date) -> list[tuple[str, int, int]]:
    """(month, cases received this year, the same month last year) from January to the month of `end`."""
    months = [dt.date(end.year, month, 1) for month in range(1, end.month + 1)]
    this_year = figures.get_monthly_received(code, months)
    last_year = figures.get_monthly_received(code, [m.replace(year=m.year - 1) for m in months])
    return [(f"{m.month}", now, before) for (m, now, _p), (_m, before, _q) in zip(this_year, last_year, strict=True)]


@login_required
@replica_reads
def meeting(request, code):
    """The view a leader shows in a meeting (会议大屏): the headline figures in large type, the cases of
    each month this year against last, the areas below ranked by cases received, and the open warnings
    (registered by other apps as page panels "stats.meeting"); prints on one A4 landscape sheet."""
    query = _query_or_400(request, code)
    if isinstance(query, HttpResponse):
        return query
    area, start, end = query.area, query.start, query.end
    cases = figures.get_case_figures(area.code, start, end)
    grids = figures.get_grid_figures(area.code, start, end)
    trend = _year_trend(area.code, end)
    children = tables.get_children(area)
    child_figures = figures.get_children_figures([c.code for c in children], start, end) if children else {}
    ranked = sorted(((c, child_figures[c.code]) for c in children), key=lambda row: (-row[1]["received"], row[0].code))
    return render(request, "stats/meeting.html", {
        "area": area, "start": start, "end": end, "cases": cases, "grids": grids, "ranked": ranked,
        "trend_chart": charts.column_chart(
            _("Cases received by month, %(year)s against %(last)s") % {"year": end.year, "last": end.year - 1},
            trend, (str(end.year), str(end.year - 1))),
        "ranked_chart": charts.bar_chart(_("Cases received by area"), [
            (c.name, row["received"], tables.dashboard_url(c.code, start, end)) for c, row in ranked]),
        "dashboard_url": tables.dashboard_url(area.code, start, end),
    })


@login_required
@replica_reads
def export_table(request, code, key):
    query = _query_or_400(request, code)
    if isinstance(query, HttpResponse):
        return query
    export = get_table_export(query, key)
    if export is None:
        raise Http404
    name, content = export
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def export_table_job(request, code, key):
    """The same workbook, made in the background: the reader follows it on the job's page."""
    try:
        job = actions.do_start_table_export(request.user, area=code, key=key, start=request.POST.get("start"),
                                            end=request.POST.get("end"))
    except actions.StatsInputError as error:
        return render(request, "stats/error.html", {"errors": error.message_dict}, status=400)
    return redirect("core:job_detail", pk=job.pk)


def _query_or_400(request, code):
    try:
        return _query(request, code)
    except actions.StatsInputError as error:
        return render(request, "stats/error.html", {"errors": error.message_dict}, status=400)


@login_required
@replica_reads
def month_report(request, code, year, month):
    """The monthly report (月报) of an area as PDF: headline figures, year on year, the tables."""
    year, month = int(year), int(month)
    if not 1 <= month <= 12 or not actions.EARLIEST.year <= year <= actions.LATEST.year:
        raise Http404
    start = dt.date(year, month, 1)
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    try:
        query = actions.check_query(request.user, area=code, start=start.isoformat(), end=end.isoformat())
    except actions.StatsInputError as error:
        return render(request, "stats/error.html", {"errors": error.message_dict}, status=400)
    cases = figures.get_case_figures(query.area.code, start, end)
    grids = figures.get_grid_figures(query.area.code, start, end)
    all_tables = tables.get_tables(query.area, start, end, cases, grids)
    area_rows = [(row[0].text, row[1].value, "") for row in all_tables[0].rows[:-1]]
    trend = _year_trend(query.area.code, end)
    pdf = render_pdf("stats/month_report_pdf.html", {
        "area": query.area, "start": start, "end": end, "cases": cases, "grids": grids, "tables": all_tables,
        "made_on": timezone.localdate(),
        "area_chart": charts.bar_chart(_("Cases received by area"), area_rows) if len(area_rows) > 1 else "",
        "trend_chart": charts.column_chart(
            _("Cases received by month, %(year)s against %(last)s") % {"year": year, "last": year - 1},
            trend, (str(year), str(year - 1))),
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stats-{query.area.code}-{year}-{month:02d}.pdf"'
    return response
