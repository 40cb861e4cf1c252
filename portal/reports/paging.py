"""A large round's progress report as a page (issue 19): each table with a row per
municipality (``Table.paged``: the benefits, each indicator's figures, the follow-up, the
municipalities' own words) shows ``PER_PAGE`` rows at a time, every table the same page, so
the page of 750 municipalities is as long as the page of 98 and its rows are all formatted
in a tenth of the time. Each table sorts by any of its columns (``sort``:
``<table id>.<column>``, ``-`` descending; the others keep their order by name); its sums —
the median and the total over every municipality, as built — stand beneath every page.
The PDF, the workbook and the CSV carry every row."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.pagination import Page, link_args, sort_items
from portal.reports.model import Report

PER_PAGE = 100  # a round of 98 municipalities stays one page


@dataclass(frozen=True)
class Pager:
    page: Page  # ``items``: the table's rows on the page; ``args``: the links' arguments
    key: str  # the table's sort keys: ``<key>.<column index>``
    endpoint: str
    rows: int  # the table's rows in all


def _value_key(value):
    """Numbers and dates by value, words by their letters; empty cells are ``None``
    (last either way)."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal | int | float):
        return (0, value)
    if isinstance(value, date):
        return (0, value.toordinal())
    return (1, str(value).casefold())


def _column_key(index: int):
    return lambda row: _value_key(row.values[index])


def paged_tables(report: Report):
    """(id, table) of the paged tables with more rows than a page, their ids as the page
    gives them (``reports/_report.html``: ``s<section>-t<table>``)."""
    for i, section in enumerate(report.sections, start=1):
        for j, table in enumerate(section.tables, start=1):
            if table.paged and len(table.data_rows) > PER_PAGE:
                yield f"s{i}-t{j}", table


def cut(report: Report, args: Mapping[str, str], endpoint: str, view_args: dict) -> int:
    """Every paged table of ``report`` cut to the page ``args`` asks for (``page``,
    ``sort``), in place: how many pages there are (1: nothing cut)."""
    tables = list(paged_tables(report))
    if not tables:
        return 1
    most = max(len(t.data_rows) for _id, t in tables)
    pages = math.ceil(most / PER_PAGE)
    try:
        number = min(max(1, int(args.get("page") or 1)), pages)
    except ValueError:
        number = 1
    sort = args.get("sort") or ""
    base = {**link_args(args), **view_args}
    base.pop("format", None)
    for table_id, table in tables:
        rows = table.data_rows
        sums = [r for r in table.rows if r.is_sum]
        keys = {f"{table_id}.{c}": _column_key(c) for c in range(len(table.columns))}
        default = f"{table_id}.0"
        ordered, key = sort_items(rows, sort if sort.lstrip("-") in keys else None, keys, default)
        if key == default:
            ordered = rows  # as built: by name, as the PDF and the workbook list them
        start = (number - 1) * PER_PAGE
        # every table pages together: ``total`` is the longest table's, so the links agree
        page = Page(ordered[start : start + PER_PAGE], number, PER_PAGE, most)
        # the sort in effect (this table's or another's) goes with every link
        page.args = {**base, "_anchor": table_id}
        table.rows = page.items + sums
        table.pager = Pager(page, table_id, endpoint, len(rows))
    return pages
