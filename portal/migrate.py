"""Running the Alembic migrations from code (the CLI and the tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection=None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.connect() as connection, foreign_keys_off(connection), connection.begin():
        command.upgrade(alembic_config(connection), revision)


class BrokenForeignKeys(RuntimeError):
    """A migration left rows pointing at rows that are gone."""


@contextmanager
def foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite: a migration that changes a constraint recreates the table (copy, DROP TABLE,
    rename), and with foreign keys enforced DROP TABLE first deletes every row of the old
    table — cascading to, or emptying the references of, every row that points at it (the
    users' notices, a municipality's participations). Enforcement is off while the
    migrations run (it can only be switched outside a transaction, so before one begins) and
    the whole database is checked before it is switched on again. Elsewhere: nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise BrokenForeignKeys(f"rows point at rows that are gone: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")
