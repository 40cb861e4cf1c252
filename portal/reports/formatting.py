"""A report value as text for the page and the PDF, in the user's formats (1.234,5;
285.714; 25,0 %; 22.11.2026). Money is written without "kr." in a table, whose column
heading says "(kr.)" once (``Column.heading``). The workbook and the CSV write the values
themselves."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from flask_babel import format_decimal

from portal.i18n import local_date
from portal.reports.model import Column, Kind, Value


def fixed(value: int | Decimal, digits: int) -> str:
    """Rounded half up to ``digits`` (a table holds exact figures; 10,5 timer shows as 11)."""
    pattern = "#,##0" if digits <= 0 else "#,##0." + "0" * digits
    exact = Decimal(value)
    return format_decimal(
        exact.quantize(Decimal(1).scaleb(-max(digits, 0)), rounding=ROUND_HALF_UP), format=pattern
    )


def decimal_text(value: int | Decimal | None, digits: int) -> str:
    """A number in a report's sentence or fact written as its tables write it (fixed
    decimals: "1.968,10" beside "1.968,10", never "1.968,1")."""
    return "–" if value is None else fixed(value, digits)


def cell_text(value: Value, column: Column) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):  # a text in any column, e.g. "< 5"
        return value
    kind = column.kind
    if kind in (Kind.MONEY, Kind.INTEGER):
        return fixed(value, 0)
    if kind == Kind.DECIMAL:
        return fixed(value, column.digits)
    if kind == Kind.PERCENT:
        return f"{fixed(Decimal(value) * 100, column.digits)}\u00a0%"
    if kind == Kind.DATE:
        return local_date(value)
    return str(value)


def cut_at_word(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole word (a sheet name reads
    "Datadrevet ruteplanlægning", not "Datadrevet ruteplanlæg"); a single word longer than
    the limit is cut where it must be."""
    text = text.strip()
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = max(head.rfind(" "), head.rfind("–"), head.rfind("-"))
    if cut <= 0:
        return text[:limit].rstrip()
    return head[:cut].rstrip(" ,:;–-")
