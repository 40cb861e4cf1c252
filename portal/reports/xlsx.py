"""A report as a workbook: an "Om rapporten" sheet (with a list of the sheets and what each
holds), then one sheet per table.

Numbers are numbers holding the exact figure (a Decimal becomes a float only when written)
with number formats that round it for the eye, dates are dates, so a spreadsheet can sum,
sort and chart them and a column sums to its total row; the header row is bold and frozen,
subtotal and total rows are bold, and the columns are wide enough to read.

Written row by row and never read back (``spreadsheets.StreamingWorkbook``: XlsxWriter in
``constant_memory`` mode), so a round of 750 municipalities costs 7.6 times one of 98, not
its square. Column widths come from the text each cell shows, measured without formatting
it (``_width``): a number's Danish form has as many characters as Python's own.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _

from portal.i18n import to_local
from portal.reports.formatting import cut_at_word
from portal.reports.model import Column, Kind, Report, Table, Value
from portal.spreadsheets import StreamingWorkbook

SHEET_NAME_MAX = 31
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 8, 50, 30


PERCENT_DIGITS = 1  # every percentage of a workbook: 66,7 %
ENTERED_DIGITS = 2  # every indicator value as entered (a baseline, a target, a median): 12,50


def number_format(column: Column) -> str:
    """The cell format of a column, one per quantity across every sheet (issue 21: the same
    figure with two decimals on one sheet and one on the next): whole kroner, whole numbers,
    ``PERCENT_DIGITS`` for every percentage, ``ENTERED_DIGITS`` for every indicator value,
    and the column's own decimals (``Column.digits``) for a computed quantity (hours 0, FTE
    2). The cell holds the exact value; the format only rounds it for the eye."""
    digits = column.digits
    if column.kind == Kind.PERCENT:
        digits = PERCENT_DIGITS
    elif column.as_entered:
        digits = ENTERED_DIGITS
    decimals = "." + "0" * digits if digits > 0 else ""
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


def _width(value: Value, column: Column) -> int:
    """The characters ``formatting.cell_text`` shows for ``value``, counted without Babel:
    1.234,5 and 1,234.5 are as long, and "kr." stands in the heading, not the cell."""
    if value is None:
        return 1
    if isinstance(value, str):
        return len(value)
    kind = column.kind
    if kind in (Kind.MONEY, Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT):
        digits = column.digits if kind in (Kind.DECIMAL, Kind.PERCENT) else 0
        number = Decimal(value) * (100 if kind == Kind.PERCENT else 1)
        exact = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        return len(f"{exact:,.{digits}f}") + (2 if kind == Kind.PERCENT else 0)
    if kind == Kind.DATE:
        return 10
    return len(str(value))


def _about_sheet(book: StreamingWorkbook, report: Report, names: list[tuple[str, Table]]):
    sheet = book.sheet(names[0][0])
    rows: list[tuple[str, Value]] = [
        (_("Rapport"), report.title),
        (_("Omfang"), report.scope),
        (_("Periode"), report.period),
        (_("Dannet"), to_local(report.generated_at).replace(tzinfo=None)),
    ]
    if report.summary:
        rows.append((_("Sammenfatning"), report.summary))
    notes = [(t.title, n) for t in report.tables() for n in (t.warning, t.note) if n]
    if notes:
        rows.append(("", None))
        rows += [(_("Note: %(table)s", table=title), note) for title, note in notes]
    # Sheet names are cut to 31 characters and numbered on a repeat: each one's full title.
    rows.append(("", None))
    rows.append((_("Ark"), _("Indhold")))
    rows += [
        (name, f"{table.title} – {table.context}" if table.context else table.title)
        for name, table in names[1:]
    ]
    text = {"text_wrap": True, "valign": "top", "align": "left"}
    for n, (label, value) in enumerate(rows):
        if not label:
            continue
        book.write(sheet, n, 0, label, bold=True)
        if n == 3:  # "Dannet"
            book.write(sheet, n, 1, value, num_format=DATETIME_FORMAT, align="left")
        else:
            book.write(sheet, n, 1, value, **text)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 80)


def _table_sheet(book: StreamingWorkbook, name: str, table: Table) -> None:
    sheet = book.sheet(name)
    widths = [min(max(len(c.label), MIN_WIDTH), MAX_HEADER_WIDTH) for c in table.columns]
    for index, column in enumerate(table.columns):
        book.write(sheet, 0, index, column.label, bold=True, text_wrap=True, valign="top")
    formats = [number_format(c) if c.kind != Kind.TEXT else None for c in table.columns]
    for n, row in enumerate(table.rows, start=1):
        bold = {"bold": True} if row.is_sum else {}
        for index, value in enumerate(row.values):
            fmt = formats[index]
            if fmt is not None and not isinstance(value, str):
                book.write(sheet, n, index, value, num_format=fmt, **bold)
            else:
                book.write(sheet, n, index, value, **bold)
            shown = _width(value, table.columns[index]) + 2
            if shown > widths[index]:
                widths[index] = min(shown, MAX_WIDTH)
    sheet.freeze_panes(1, 0)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)


def sheet_names(report: Report) -> list[tuple[str, Table | None]]:
    """Every sheet's name in order, with its table ("Om rapporten" first, without one)."""
    taken: set[str] = set()
    names: list[tuple[str, Table | None]] = [(sheet_name(_("Om rapporten"), taken), None)]
    for table in report.tables():
        names.append((sheet_name(table.short_title or table.title, taken), table))
    return names


def report_workbook(report: Report) -> bytes:
    book = StreamingWorkbook(title=report.title, creator=_("Skaleringsportalen"))
    names = sheet_names(report)
    _about_sheet(book, report, names)
    for name, table in names[1:]:
        _table_sheet(book, name, table)
    return book.close()
