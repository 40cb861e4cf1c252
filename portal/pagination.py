"""Paging and sorting of list pages: two queries whatever the size, and no user input
reaches ``ORDER BY`` unchecked."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from portal.db import db


@dataclass
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    args: dict[str, str] = field(default_factory=dict)  # the query string without "page"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(stmt: Select, page: int, per_page: int, args: dict[str, str] | None = None) -> Page:
    """Count, then fetch one page of entities; a page past the end shows the last one."""
    return _paginate(stmt, page, per_page, args, rows=False)


def paginate_rows(
    stmt: Select, page: int, per_page: int, args: dict[str, str] | None = None
) -> Page:
    """The same for a select of several columns: the items are rows."""
    return _paginate(stmt, page, per_page, args, rows=True)


def _paginate(stmt: Select, page: int, per_page: int, args, *, rows: bool) -> Page:
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, math.ceil((total or 0) / per_page))
    number = min(max(1, page), pages)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = list(db.session.execute(limited).all() if rows else db.session.scalars(limited))
    clean = {k: v for k, v in (args or {}).items() if k != "page" and v not in (None, "")}
    return Page(items=items, number=number, per_page=per_page, total=total or 0, args=clean)


def apply_sort(
    stmt: Select, sort: str | None, allowed: dict[str, Any], default: str
) -> tuple[Select, str]:
    """Order by one of ``allowed`` (``-key`` descending); anything else falls back to ``default``."""
    key = sort or default
    descending = key.startswith("-")
    column = allowed.get(key.lstrip("-"))
    if column is None:
        key, descending = default, default.startswith("-")
        column = allowed[default.lstrip("-")]
    return stmt.order_by(column.desc() if descending else column.asc()), key
