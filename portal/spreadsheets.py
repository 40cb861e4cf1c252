"""Every CSV and XLSX the portal writes goes through here, so free text never becomes a live
formula in a spreadsheet someone else opens (CSV/formula injection).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is one
Excel and LibreOffice may evaluate: in CSV it gets a leading apostrophe (both programs show
the rest as text), in XLSX it is stored as a string with the "quote prefix" style, so it stays
text even when someone edits the cell. Plain numbers such as ``-3`` or ``+4,5`` (and a lone ``-``) are
not formulas and are left alone (the figures export writes negative values as text).

The portal writes no formulas of its own: every formula cell in a workbook came from text.
Imports undo the apostrophe (``unescape``), so an export imported again changes nothing.
"""

from __future__ import annotations

import re
from io import BytesIO

import pandas as pd

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
