"""A report as a workbook: an "Om rapporten" sheet, then one sheet per table.

Numbers are numbers (``data_type == "n"``) holding the exact figure (a Decimal becomes a
float only here) with number formats that round it for the eye, dates are dates, so a
spreadsheet can sum, sort and chart them and a column sums to its total row; the header row is bold and frozen, subtotal and
total rows are bold, and the columns are wide enough to read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.i18n import to_local
from portal.reports.formatting import cell_text, cut_at_word
from portal.reports.model import Column, Kind, Report, Table
from portal.spreadsheets import workbook_bytes

SHEET_NAME_MAX = 31
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
BOLD = Font(bold=True)


def number_format(column: Column) -> str:
    decimals = "." + "0" * column.digits if column.digits > 0 else ""
    return {
        Kind.MONEY: '#,##0 "kr."',
        Kind.INTEGER: "#,##0",
        Kind.DECIMAL: f"#,##0{decimals}",
        Kind.PERCENT: f"0{decimals}%",
        Kind.DATE: DATE_FORMAT,
    }.get(column.kind, "General")


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: no ``[]:*?/\\``, at most 31 characters, " (2)" on a
    repeat (Excel compares sheet names without regard to case)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", title).strip().strip("'") or _("Tabel")
    name = cut_at_word(base, SHEET_NAME_MAX)
    n = 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = cut_at_word(base, SHEET_NAME_MAX - len(suffix)) + suffix
    taken.add(name.lower())
    return name


def _about_sheet(workbook: Workbook, report: Report, taken: set[str]) -> None:
    sheet = workbook.create_sheet(sheet_name(_("Om rapporten"), taken))
    sheet.append([_("Rapport"), report.title])
    sheet.append([_("Omfang"), report.scope])
    sheet.append([_("Periode"), report.period])
    sheet.append([_("Dannet"), to_local(report.generated_at).replace(tzinfo=None)])
    sheet["B4"].number_format = DATETIME_FORMAT
    sheet["B4"].alignment = Alignment(horizontal="left")
    if report.summary:
        sheet.append([_("Sammenfatning"), report.summary])
    notes = [(t.title, n) for t in report.tables() for n in (t.warning, t.note) if n]
    if notes:
        sheet.append([])
        for title, note in notes:
            sheet.append([_("Note: %(table)s", table=title), note])
    for (cell,) in sheet.iter_rows(min_col=1, max_col=1):
        cell.font = BOLD
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80
    for (cell,) in sheet.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _table_sheet(workbook: Workbook, table: Table, taken: set[str]) -> None:
    sheet = workbook.create_sheet(sheet_name(table.short_title or table.title, taken))
    sheet.append([c.label for c in table.columns])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [number_format(c) for c in table.columns]
    widths = [min(max(len(c.label), 8), 30) for c in table.columns]
    for row in table.rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row.values])
        for index, (cell, column) in enumerate(
            zip(sheet[sheet.max_row], table.columns, strict=True)
        ):
            if column.kind != Kind.TEXT and not isinstance(cell.value, str):
                cell.number_format = formats[index]
            if row.is_sum:
                cell.font = BOLD
            shown = cell_text(row.values[index], column)
            widths[index] = max(widths[index], min(len(shown) + 2, 50))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def report_workbook(report: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = _("Skaleringsportalen")
    taken: set[str] = set()
    _about_sheet(workbook, report, taken)
    for table in report.tables():
        _table_sheet(workbook, table, taken)
    return workbook_bytes(workbook)
