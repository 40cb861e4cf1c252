"""Where a person's traces are. Generic over the schema on purpose: a table added tomorrow
with a copy of someone's name is searched (and erased, and exported) without anyone
remembering to list it here.

A trace is a row whose text (``String``/``Text``) or ``JSON`` column contains one of the
person's *needles*: their e-mail, and their name when it is distinctive enough to search for
(two words or more — a one-word name such as "Admin" would match other people's text). JSON
is stored with non-ASCII letters escaped (``"S\\u00f8ren"``), so each needle is searched in
that form too."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import JSON, Column, Enum, String, Table, Text, cast, func, or_, select

from portal.auth.models import User
from portal.db import Base, db

# Columns never searched nor exported: secrets, not personal data about the person.
SECRET = re.compile(r"(^password|_hash$|secret|^token)")
# The users' own table is searched for the person's row only: another user of the same name
# is another person.
USERS = User.__table__


def needles_of(user: User) -> tuple[str, ...]:
    """What identifies ``user`` in free text: the e-mail, and the name when distinctive."""
    found = [user.email.strip().lower()]
    name = " ".join(user.name.split())
    if len(name.split()) >= 2 and len(name) >= 5:
        found.append(name)
    return tuple(n for n in found if n)


def text_columns(table: Table) -> list[Column]:
    return [
        column
        for column in table.columns
        if isinstance(column.type, String | Text | JSON)
        and not isinstance(column.type, Enum)
        and not SECRET.search(column.name)
    ]


def tables() -> Iterator[Table]:
    yield from Base.metadata.sorted_tables


def _like(needle: str) -> str:
    escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _forms(needle: str) -> tuple[str, ...]:
    """The needle as typed and as a JSON column stores it (non-ASCII escaped)."""
    escaped = json.dumps(needle)[1:-1]
    return (needle,) if escaped == needle else (needle, escaped)


def _matching(column: Column, needles: tuple[str, ...]):
    text = func.lower(cast(column, Text))
    return or_(
        *(text.like(_like(form), escape="\\") for needle in needles for form in _forms(needle))
    )


@dataclass(frozen=True)
class Trace:
    table: str
    key: tuple[Any, ...]  # the row's primary key
    row: dict[str, Any]  # the row as plain JSON values (secrets left out)


# ``(done, total)`` after each table: a job's progress bar.
OnTable = Callable[[int, int], None]


def traces(
    user: User, needles: tuple[str, ...] | None = None, on_table: OnTable | None = None
) -> list[Trace]:
    """Every row whose text names the person (their own user row included)."""
    needles = needles or needles_of(user)
    found: list[Trace] = []
    every = list(tables())
    for n, table in enumerate(every, 1):
        if on_table is not None:
            on_table(n, len(every))
        columns = text_columns(table)
        if not columns:
            continue
        stmt = select(table).where(or_(*(_matching(c, needles) for c in columns)))
        if table is USERS:
            stmt = stmt.where(USERS.c.id == user.id)
        for row in db.session.execute(stmt).mappings():
            found.append(Trace(table.name, _key(table, row), plain_row(table, row)))
    return found


def linked(user: User) -> list[Trace]:
    """Every row that points at the person's user id (their jobs, notices, reviews, the
    decisions they made): what they did, kept after an erasure under the stand-in."""
    found: list[Trace] = []
    for table in tables():
        columns = [
            c for c in table.columns if any(fk.column is USERS.c.id for fk in c.foreign_keys)
        ]
        if not columns or table is USERS:
            continue
        stmt = select(table).where(or_(*(c == user.id for c in columns)))
        for row in db.session.execute(stmt).mappings():
            found.append(Trace(table.name, _key(table, row), plain_row(table, row)))
    return found


def _key(table: Table, row) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def plain_row(table: Table, row) -> dict[str, Any]:
    return {
        c.name: plain(row[c.name])
        for c in table.columns
        if not SECRET.search(c.name) and not _binary(c)
    }


def _binary(column: Column) -> bool:
    try:
        return column.type.python_type is bytes
    except NotImplementedError:
        return False


def plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, PyEnum):
        return value.value
    return value
