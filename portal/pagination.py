"""Paging and sorting of list pages: two queries whatever the size, and no user input
reaches ``ORDER BY`` or ``url_for`` unchecked."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, inspect, select

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


def link_args(args: Mapping[str, str] | None, keep: Iterable[str] | None = None) -> dict[str, str]:
    """The query args the page and sort links carry over: no ``page``, no empty values, and
    nothing ``url_for`` would read as an instruction (``_external``, ``_scheme``, ``_anchor``
    could turn a link into ``javascript:…``; ``endpoint`` would collide with its argument).
    With ``keep``, only those names."""
    allowed = set(keep) if keep is not None else None
    return {
        k: v
        for k, v in (args or {}).items()
        if k != "page"
        and not k.startswith("_")
        and k != "endpoint"
        and (allowed is None or k in allowed)
        and v not in (None, "")
    }


def paginate(
    stmt: Select,
    page: int,
    per_page: int,
    args: Mapping[str, str] | None = None,
    keep: Iterable[str] | None = None,
    *,
    rows: bool = False,
) -> Page:
    """Count, then fetch one page; a page past the end shows the last one. The items are
    entities, or rows with ``rows=True`` (a select of several columns)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    pages = max(1, math.ceil((total or 0) / per_page))
    number = min(max(1, page or 1), pages)
    limited = stmt.limit(per_page).offset((number - 1) * per_page)
    items = list(db.session.execute(limited).all() if rows else db.session.scalars(limited))
    return Page(
        items=items, number=number, per_page=per_page, total=total or 0, args=link_args(args, keep)
    )


def apply_sort(
    stmt: Select, sort: str | None, allowed: Mapping[str, Any], default: str
) -> tuple[Select, str]:
    """Order by one of ``allowed`` (``-key`` descending); anything else falls back to ``default``.

    Empty values sort last either way (SQLite and PostgreSQL disagree otherwise), and the
    primary key of the selected entity breaks ties, so paging through rows with equal sort
    values neither repeats nor skips a row. Returns the statement and the key in effect.
    """
    key = sort or default
    descending = key.startswith("-")
    column = allowed.get(key.lstrip("-"))
    if column is None:
        key, descending = default, default.startswith("-")
        column = allowed[default.lstrip("-")]
    ordered = (column.desc() if descending else column.asc()).nulls_last()
    return stmt.order_by(ordered, *_primary_key(stmt)), key


def _primary_key(stmt: Select) -> list:
    entity = stmt.column_descriptions[0].get("entity") if stmt.column_descriptions else None
    if entity is None:
        return []
    return list(inspect(entity).primary_key)


def page_of(
    items: Sequence[Any],
    page: int,
    per_page: int,
    args: Mapping[str, str] | None = None,
    keep: Iterable[str] | None = None,
) -> Page:
    """One page of a list already at hand (a stored summary's rows), as ``paginate`` pages a
    query: a page past the end shows the last one."""
    pages = max(1, math.ceil(len(items) / per_page))
    number = min(max(1, page or 1), pages)
    start = (number - 1) * per_page
    return Page(
        items=list(items[start : start + per_page]),
        number=number,
        per_page=per_page,
        total=len(items),
        args=link_args(args, keep),
    )


def sort_items(
    items: Iterable[Any],
    sort: str | None,
    allowed: Mapping[str, Callable[[Any], Any]],
    default: str,
) -> tuple[list[Any], str]:
    """``items`` ordered by one of ``allowed`` (a key function; ``-key`` descending), as
    ``apply_sort`` orders a query: anything else falls back to ``default``, empty values last
    either way, and the order is stable (ties keep the order ``items`` came in)."""
    key = sort or default
    value = allowed.get(key.lstrip("-"))
    if value is None:
        key, value = default, allowed[default.lstrip("-")]
    listed = list(items)
    present = [i for i in listed if value(i) is not None]
    empty = [i for i in listed if value(i) is None]
    return sorted(present, key=value, reverse=key.startswith("-")) + empty, key
