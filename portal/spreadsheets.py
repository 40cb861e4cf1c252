"""Every CSV and XLSX the portal writes goes through here, so free text never becomes a live
formula in a spreadsheet someone else opens (CSV/formula injection).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is one
Excel and LibreOffice may evaluate: in CSV it gets a leading apostrophe (both programs show
the rest as text), in XLSX it is stored as a string with the "quote prefix" style, so it stays
text even when someone edits the cell. Plain numbers such as ``-3`` or ``+4,5`` (and a lone ``-``) are
not formulas and are left alone (the figures export writes negative values as text).

The portal writes no formulas of its own: every formula cell in a workbook came from text.
Imports undo the apostrophe (``unescape``), so an export imported again changes nothing.

Two ways to write a workbook: an openpyxl ``Workbook`` passed to ``workbook_bytes`` (small
files: the review, the figures export), and ``StreamingWorkbook`` (XlsxWriter in
``constant_memory`` mode) for the reports, whose rows grow with the nation: each row is
written once and flushed, so time and memory grow linearly with the rows. Measured on this
machine (12 sheets × 3,000 rows × 10 cells): XlsxWriter 3.2–3.5 s, openpyxl's write-only
mode 12.4 s.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pandas as pd
import xlsxwriter

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# a plain number (or a lone sign, a placeholder for "no value"): no formula
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9][0-9 .,]*)?")
_ESCAPED = re.compile(r"'[=+\-@\t\r]")


def is_dangerous(value) -> bool:
    """A text a spreadsheet may read as a formula."""
    return (
        isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_text(value):
    """One CSV field: a dangerous text with a leading apostrophe, anything else unchanged."""
    return "'" + value if is_dangerous(value) else value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell made safe for ``to_csv``."""
    return frame.apply(lambda column: column.map(csv_text)) if len(frame) else frame


def unescape(value: str) -> str:
    """What ``csv_text`` wrote, read back: ``'=x`` is ``=x`` again."""
    return value[1:] if _ESCAPED.match(value) else value


def neutralise_workbook(workbook) -> None:
    """Make every text cell of an openpyxl workbook that a spreadsheet could evaluate plain
    text: stored as a string, shown with a quote prefix."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_dangerous(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(workbook) -> bytes:
    """The workbook as an .xlsx file, text cells neutralised first."""
    neutralise_workbook(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# XlsxWriter reads nothing into a string it is told to write as one (``write_string``); these
# options keep ``write`` from guessing too, should anyone call it.
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


class StreamingWorkbook:
    """A workbook written row by row (XlsxWriter, ``constant_memory``): every row must be
    written in order, and each cell goes through ``write``, which stores text as text — a
    dangerous text with the quote prefix — numbers as numbers (a Decimal becomes a float
    only here), dates as dates. Formats are made once per set of properties."""

    def __init__(self, *, title: str = "", creator: str = "") -> None:
        self._buffer = BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, _OPTIONS)
        self.book.set_properties({"title": title, "author": creator})
        self._formats: dict[tuple, object] = {}

    def style(self, **properties):
        """An XlsxWriter format with these properties (``bold``, ``num_format`` …), kept."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.book.add_format(dict(properties))
        return self._formats[key]

    def sheet(self, name: str):
        return self.book.add_worksheet(name)

    def write(self, sheet, row: int, column: int, value, **properties) -> None:
        if isinstance(value, str):
            if is_dangerous(value):
                properties["quote_prefix"] = True
            sheet.write_string(row, column, value, self.style(**properties))
        elif value is None:
            if properties:
                sheet.write_blank(row, column, None, self.style(**properties))
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, self.style(**properties))
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, column, float(value), self.style(**properties))
        elif isinstance(value, date | datetime):
            if isinstance(value, datetime) and value.tzinfo is not None:
                raise ValueError("a workbook holds local times: convert, then drop the zone")
            sheet.write_datetime(row, column, value, self.style(**properties))
        else:
            raise TypeError(f"no spreadsheet cell for {type(value).__name__}")

    def close(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()
