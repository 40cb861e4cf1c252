"""A report as CSV for Danish Excel: UTF-8 with a byte-order mark (so æøå open right), ``;``
between fields and a decimal comma, no thousands separators, so Excel reads numbers, not
text. Enough decimals for the quantity: kroner, hours and FTE with two (a computed figure
rounded half up), an indicator's value as entered (``Column.as_entered``), a whole amount
(an ``int``) as it is; percentages are written as percent (25,0).

One file holds the report's main table, data rows only: subtotal and total rows would be
counted twice by whoever sums the column. ``report_csv_zip`` packs one file per table.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from portal.reports.model import Column, Kind, Report, Table, Value, slugify
from portal.spreadsheets import csv_text

BOM = "\ufeff"
CSV_DIGITS = 2  # at least, for kroner, hours and FTE


def _field(value: Value, column: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a text in any column, e.g. "< 5"
        return csv_text(value)
    kind = column.kind
    if kind == Kind.INTEGER or (kind == Kind.MONEY and isinstance(value, int)):
        return str(int(value))
    if kind in (Kind.MONEY, Kind.DECIMAL, Kind.PERCENT):
        number = Decimal(value) * (100 if kind == Kind.PERCENT else 1)
        if column.as_entered:  # stored with trailing zeros (12.5000): written as typed, 12,5
            return f"{number.normalize():f}".replace(".", ",")
        digits = column.digits if kind == Kind.PERCENT else max(column.digits, CSV_DIGITS)
        exponent = Decimal(1).scaleb(-digits)
        return f"{number.quantize(exponent, rounding=ROUND_HALF_UP):f}".replace(".", ",")
    if kind == Kind.DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.heading(percent=True) for c in table.columns])
    for row in table.data_rows:
        writer.writerow([_field(v, c) for v, c in zip(row.values, table.columns, strict=True)])
    return (BOM + buffer.getvalue()).encode("utf-8")


def report_csv(report: Report) -> bytes:
    """The report's main table (``Report.main_table``, else its first)."""
    table = report.primary_table
    if table is None:
        return BOM.encode("utf-8")
    return table_csv(table)


def report_csv_zip(report: Report) -> bytes:
    """Every table of the report, one CSV each, numbered in report order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, table in enumerate(report.tables(), start=1):
            name = f"{n:02d}-{slugify(table.short_title or table.title)}.csv"
            # a fixed time stamp: the same report gives the same bytes
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, table_csv(table), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
