"""A dashboard table as an Excel workbook laid out like a government statistical report: title,
area, period, units and the date made above the table, the maker below it."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from yiwang.stats.tables import Table

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def table_workbook(table: Table, *, area_name: str, start, end) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = table.key
    columns = len(table.headers)
    last = get_column_letter(columns)
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = f"{area_name}{table.title}"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = _("Area: %(area)s    Period: %(start)s to %(end)s") % {
        "area": area_name, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = _("Unit: %(unit)s    Made on: %(date)s") % {"unit": table.unit,
                                                            "date": f"{timezone.localdate():%Y-%m-%d}"}
    header_row = 5
    for column, header in enumerate(table.headers, start=1):
        cell = ws.cell(row=header_row, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0F2F5")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
        ws.column_dimensions[get_column_letter(column)].width = 22 if column == 1 else 14
    for r, row in enumerate(table.rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=column, value=value.value)
            cell.border = BOX
            if value.percent and value.value is not None:
                cell.number_format = '0.00"%"'
            if column > 1:
                cell.alignment = Alignment(horizontal="right")
    foot = header_row + len(table.rows) + 2
    ws.cell(row=foot, column=1, value=_("Made by: yiwang social governance platform (statistics from the live "
                                        "aggregates)"))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


TABLE_KEYS = ("areas", "types", "channels", "tiers", "outcomes", "problems")


def get_table_export(query, key: str) -> tuple[str, bytes] | None:
    """The file name and workbook of one dashboard table for a checked query; None for an unknown table.
    The synchronous download and the export job both build it here."""
    from yiwang.stats import figures, tables

    cases = figures.get_case_figures(query.area.code, query.start, query.end)
    grids = figures.get_grid_figures(query.area.code, query.start, query.end)
    table = next((t for t in tables.get_tables(query.area, query.start, query.end, cases, grids) if t.key == key), None)
    if table is None:
        return None
    content = table_workbook(table, area_name=query.area.name, start=query.start, end=query.end)
    return f"stats-{query.area.code}-{key}-{query.start:%Y%m%d}-{query.end:%Y%m%d}.xlsx", content
