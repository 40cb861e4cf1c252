"""Engine, session and the declarative base.

One scoped session per app context; services flush, the request or CLI command commits once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import UTC, datetime

from flask import Flask, abort
from sqlalchemy import DateTime, Enum, MetaData, Select, create_engine, event, select, true
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for another to finish
MAX_ID = 2**31 - 1  # an INTEGER primary key; a larger number in a URL is simply not found


def valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always handed back timezone-aware.

    SQLite keeps no zone, so values are normalised to naive UTC on the way in and marked UTC
    on the way out; PostgreSQL stores ``timestamptz`` and gets the same aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(cls: type[enum.Enum], name: str, length: int = 20) -> Enum:
    """A Python enum stored as its values in a VARCHAR with a named CHECK constraint (the same
    on SQLite and PostgreSQL, and no native type to migrate when a value is added)."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        create_constraint=True,
        validate_strings=True,
    )


_READING: ContextVar[bool] = ContextVar("reading", default=False)


@contextmanager
def reading() -> Iterator[None]:
    """A transaction begun in this block only reads: on SQLite it is a deferred one, which in
    WAL mode neither waits for nor blocks the writers, so a job may read for a long while
    (a round's figures for 98 reports) without locking every page out. The caller ends that
    transaction before it writes (a deferred reader cannot always become a writer)."""
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    kwargs: dict = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
        # The connection used last is used next: its prepared statements (``end_reading``)
        # serve again, and the ones left idle may time out.
        kwargs["pool_use_lifo"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        _note_writes(engine)
    if engine.dialect.name == "sqlite":
        # pysqlite's own transaction handling breaks SAVEPOINTs: let SQLAlchemy emit BEGIN
        # itself (SQLAlchemy's documented recipe), and enforce foreign keys.
        #
        # The embedded default must survive a few users at once. WAL lets pages read while
        # another request writes; a busy timeout makes a writer wait its turn instead of
        # failing with "database is locked"; and BEGIN IMMEDIATE takes the write lock at the
        # start of the transaction: a deferred transaction that read first and then wants to
        # write gets SQLITE_BUSY at once when another wrote in between (no waiting helps
        # there), which is what turned parallel saves of one figure into server errors.
        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if url != "sqlite://" and ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN" if _READING.get() else "BEGIN IMMEDIATE")

    return engine


def _note_writes(engine: Engine) -> None:
    """Mark a transaction that sent anything but a SELECT (``wrote``): one that did not may
    end with COMMIT instead of ROLLBACK (``Database.end_reading``)."""

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.info["wrote"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _statement(connection, _cursor, statement, *_args):
        if statement.lstrip()[:6].upper() != "SELECT":
            connection.info["wrote"] = True


class Database:
    def __init__(self) -> None:
        self.session = scoped_session(sessionmaker(expire_on_commit=False))
        self.engine: Engine | None = None

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.remove()
        self.session.configure(bind=self.engine)
        app.extensions["portal_db"] = self

        @app.teardown_appcontext
        def _remove_session(exc):
            # A request that failed (a failed COMMIT included) rolls back explicitly before
            # its connection goes back to the pool, so no lock outlives the request.
            try:
                if exc is not None or not self.session().is_active:
                    self.session.rollback()
                else:
                    self.end_reading()
            except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error):
                # the connection was cut after the answer was made (a database restart):
                # nothing to keep, and the pool replaces the connection
                with suppress(SQLAlchemyError):
                    self.session.rollback()
            self.session.remove()

    def end_reading(self) -> None:
        """End a transaction that only read with COMMIT, on PostgreSQL: psycopg forgets its
        prepared statements at every ROLLBACK, so a request that ends with one plans every
        query again (planning a dashboard's query costs ten times running it). Anything
        written, flushed or waiting to be (``_note_writes``) is rolled back as before."""
        session = self.session()
        if session.bind is not self.engine:  # a test's own connection: its transaction
            return
        if not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        connection = session.connection()
        if connection.dialect.name != "postgresql" or connection.info.get("wrote", True):
            return
        connection.connection.dbapi_connection.commit()  # the session's ROLLBACK is a no-op

    def get_or_404(self, model, ident):
        """``session.get`` or a 404, for rows that are not municipality-owned (use
        ``portal.access.get_visible_or_404`` for those)."""
        obj = self.session.get(model, ident) if valid_id(ident) else None
        if obj is None:
            abort(404)
        return obj


db = Database()


def one_trip(
    *statements: Select, entity: Select | None = None, params: dict | None = None
) -> tuple[object, list[tuple]] | list[tuple] | None:
    """The one row each of ``statements`` returns (aggregates: a count, a sum, a latest
    time), all fetched in a single round trip to the database: for the versions a page is
    judged by, asked of several tables on every request, where each round trip costs more
    than the work it carries. With ``entity`` (a select of one object, say a participation
    with its access condition), that object comes in the same trip: ``(object, rows)``, or
    ``None`` when there is no such object. ``params`` fill the statements' bound
    parameters.

    Pass statements that are built once and kept (``lru_cache``): their combination is kept
    too, which saves SQLAlchemy from working out its cache key on every request."""
    combined, widths = _combined(statements, entity)
    result = db.session.execute(combined, params or {})
    row = result.first() if entity is not None else result.one()
    if row is None:
        return None
    values = row[1:] if entity is not None else row
    rows, start = [], 0
    for width in widths:
        rows.append(tuple(values[start : start + width]))
        start += width
    return (row[0], rows) if entity is not None else rows


_COMBINED: dict[tuple, tuple[Select, tuple[int, ...]]] = {}
COMBINED_KEPT = 4096


def _combined(
    statements: tuple[Select, ...], entity: Select | None
) -> tuple[Select, tuple[int, ...]]:
    key = (entity, statements)  # statements hash by identity
    found = _COMBINED.get(key)
    if found is None:
        parts = [statement.subquery() for statement in statements]
        columns = [c for part in parts for c in part.c]
        if entity is not None:
            left = entity.column_descriptions[0]["entity"]
            combined = entity.add_columns(*columns)
        else:
            left = parts.pop(0)
            combined = select(*columns).select_from(left)
        for part in parts:
            combined = combined.join_from(left, part, true())
        if len(_COMBINED) >= COMBINED_KEPT:
            _COMBINED.clear()
        found = _COMBINED[key] = (combined, tuple(len(s.selected_columns) for s in statements))
    return found
