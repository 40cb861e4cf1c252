"""One report model, three renderings (STYLE habit 8: data first, then rendering).

A report builder (``funding.funding_report``, later the progress report) gathers the figures
and returns a ``Report`` of plain values — ``int``, ``Decimal``, ``date``, ``str``, never an
ORM object — and every rendering reads only that: the page (``templates/reports/page.html``),
the workbook (``xlsx.report_workbook``), the CSV files (``csv.report_csv``) and the PDF
(``pdf.report_pdf``). A column's ``kind`` says how its values are written in each format,
so a builder never formats a number itself.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

Value = int | Decimal | date | str | None


# A count of 1–4 another municipality may see is shown as "< 5" (statistical disclosure
# control). Any text in a numeric column is written as text, in every format.
SUPPRESSED = "< 5"


class Kind(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # whole kroner
    DECIMAL = "decimal"  # ``Column.digits`` decimals
    PERCENT = "percent"  # a fraction: Decimal("0.25") is 25 %
    DATE = "date"

    @property
    def numeric(self) -> bool:
        return self in (Kind.INTEGER, Kind.MONEY, Kind.DECIMAL, Kind.PERCENT)


class RowKind(enum.StrEnum):
    ROW = "row"
    SUBTOTAL = "subtotal"  # shown bold; left out of the CSV, which is for further sums
    TOTAL = "total"


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT
    digits: int = 1  # decimals of a DECIMAL or PERCENT column, as shown
    # The CSV writes the value as it is, not rounded (an indicator's value as entered).
    as_entered: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind.numeric

    def heading(self, *, percent: bool = False) -> str:
        """The label with its unit: money cells are written without "kr." in tables (the
        header says it once); a CSV's percent column says "(%)" too."""
        if self.kind == Kind.MONEY and "kr." not in self.label:
            return f"{self.label} (kr.)"
        if percent and self.kind == Kind.PERCENT and "%" not in self.label:
            return f"{self.label} (%)"
        return self.label


@dataclass
class Row:
    values: list[Value]
    kind: RowKind = RowKind.ROW

    @property
    def is_sum(self) -> bool:
        return self.kind != RowKind.ROW


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    # A sheet name for the workbook when the title is long or repeats (≤ 31 characters are
    # used); the title otherwise.
    short_title: str = ""
    note: str = ""  # a line under the table (a footnote)
    warning: str = ""  # a line under the table that needs acting on (shown in red)
    empty_text: str = ""  # shown instead of an empty table
    # Long tables of short cells (a row per municipality): the PDF lays them out with fixed
    # column widths, which WeasyPrint typesets much faster than measuring every cell.
    fixed_layout: bool = False
    # In the page, the workbook and the CSV files, but not typeset in the PDF, which says so
    # in ``note``: a summary for a board, with the long lists a click away.
    in_pdf: bool = True
    # Whose figures, in a report of several rounds (the round's name): the workbook's list
    # of sheets says it beside the title, so "Gevinster (2)" is explained.
    context: str = ""
    # A row per municipality: the report's page shows them a page at a time for a large
    # round (``reports.paging``), its sums (median, total) beneath every page.
    paged: bool = False
    # Set on the page only (``reports.paging``): the table's page and its sort keys.
    pager: Any = None

    def add(self, *values: Value, kind: RowKind = RowKind.ROW) -> Row:
        if len(values) != len(self.columns):
            raise ValueError(f"{self.title}: {len(values)} values for {len(self.columns)} columns")
        for value in values:
            _check_plain(value)
        row = Row(list(values), kind)
        self.rows.append(row)
        return row

    def subtotal(self, *values: Value) -> Row:
        return self.add(*values, kind=RowKind.SUBTOTAL)

    def total(self, *values: Value) -> Row:
        return self.add(*values, kind=RowKind.TOTAL)

    @property
    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if not r.is_sum]


def _check_plain(value: Value) -> None:
    # bool is an int; float loses øre; an ORM object does not belong in a report
    if value is None or (type(value) in (int, str, Decimal, date)):
        return
    raise TypeError(f"a report holds plain values, not {type(value).__name__}")


@dataclass
class Chart:
    """A chart as SVG markup (vector in the PDF), with the text alternative a screen reader
    reads instead (WCAG 1.1.1)."""

    title: str
    svg: str
    alt: str


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    level: int = 1  # 1: a chapter; 2: a section within the chapter before it
    new_page: bool = False  # the PDF starts it on a new page
    landscape: bool = False  # the PDF prints it on landscape pages (a wide table)
    # Facts shown as a definition list before the tables ("Budget": "2.900.000 kr.").
    facts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    title: str
    scope: str  # whose figures: "Alle kommuner", "Aarhus Kommune", "Fællesskab Nord"
    period: str  # e.g. "1. januar 2026 – 31. marts 2027"
    generated_at: datetime  # aware (UTC); shown in Copenhagen time
    sections: list[Section] = field(default_factory=list)
    filename: str = "rapport"  # without extension: "tilskud-vagtplanlaegning-2026"
    # The table a single CSV holds (the report's rows, municipality by municipality). When it
    # is in no section, only the files carry it (the workbook's first sheet, the CSV): the
    # page and the PDF show its rows another way (say, one table per indicator).
    main_table: Table | None = None
    # The PDF template; a report with more to print extends ``reports/pdf/base.html``.
    pdf_template: str = "reports/pdf/base.html"
    summary: str = ""  # one paragraph on the cover
    # The headline figures as numeric cells (a progress report's "Nøgletal"): in the files
    # only (after the main table), beside the summary the page and the PDF give in words.
    key_figures: Table | None = None

    def tables(self) -> Iterator[Table]:
        """Every table for the files: the main table when no section holds it, the key
        figures, then the sections' tables."""
        in_sections = [t for section in self.sections for t in section.tables]
        if self.main_table is not None and not any(t is self.main_table for t in in_sections):
            yield self.main_table
        if self.key_figures is not None:
            yield self.key_figures
        yield from in_sections

    @property
    def primary_table(self) -> Table | None:
        return self.main_table or next(self.tables(), None)


def slugify(text: str) -> str:
    """A file-name part: "Vagtplanlægning 2026" → "vagtplanlaegning-2026"."""
    text = text.lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(danish, plain)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "rapport"
