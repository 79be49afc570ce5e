"""The month-end settlement (月结) as a printable PDF and as an Excel workbook laid out like a
government report: title, period, area, the unit that made it and the date, then the figures and the
lists of cleared and carried-over problems."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from yiwang.documents import render_pdf
from yiwang.grids.boards import MonthReport

MAKER = "普陀区社会治理中心"  # the unit that makes the report (制表单位)


def get_title(report: MonthReport) -> str:
    return _("%(area)s grid problems month-end settlement, %(year)s-%(month)02d") % {
        "area": report.scope.name, "year": report.year, "month": report.month,
    }


def _problem_row(number: int, problem) -> list:
    """序号 (1…n in the table, not the problem's id), then the problem's own number and its facts."""
    return [
        number,
        problem.pk,
        problem.get_category_display(),
        problem.description[:200],
        problem.grid.name if problem.grid else _("Triage"),
        problem.area.name,
        f"{timezone.localtime(problem.reported_at):%Y-%m-%d}",
        problem.get_tier_display(),
        problem.assigned_organisation.name if problem.assigned_organisation
        else (problem.assigned_team.name if problem.assigned_team else ""),
    ]


def render_month_pdf(report: MonthReport) -> bytes:
    return render_pdf("grids/month_report_pdf.html", {"report": report, "title": get_title(report), "maker": MAKER})


def render_month_xlsx(report: MonthReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.year}-{report.month:02d}"
    headers = [_("No."), _("Problem no."), _("Category"), _("Description"), _("Grid"), _("Village"), _("Reported on"), _("Tier"),
               _("Handled by")]
    width = len(headers) + 1
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    sheet.append([get_title(report)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([_("Period"), report.period])
    sheet.append([_("Area"), f"{report.scope.name} ({report.scope.code})"])
    sheet.append([_("Made by"), MAKER, "", "", _("Date made"), f"{report.made_at:%Y-%m-%d}"])
    sheet.append([])
    sheet.append([_("Visits made"), report.visits, _("Households visited"), report.households,
                  _("Visits missed"), report.missed])
    sheet.append([_("Problems reported"), report.reported, _("Problems cleared"), len(report.cleared),
                  _("Carried over"), len(report.carried)])

    def table(caption, rows, extra_header):
        sheet.append([])
        sheet.append([caption])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([*headers, extra_header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
            cell.border = box
        for values in rows:
            sheet.append(values)
            for cell in sheet[sheet.max_row]:
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if not rows:
            sheet.append([_("None")])

    table(_("Cleared this month"), [
        [*_problem_row(n, p), f"{timezone.localtime(p.closed_at):%Y-%m-%d}"]
        for n, p in enumerate(report.cleared, start=1)
    ], _("Closed on"))
    table(_("Carried over, and why"), [[*_problem_row(n, p), why] for n, (p, why) in enumerate(report.carried, start=1)],
          _("Why"))
    for column, size in enumerate([6, 10, 14, 40, 12, 14, 12, 14, 20, 30], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
