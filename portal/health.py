"""``/healthz`` for the load balancer: 200 when the database answers, 503 when it does not.
No login and no session: a probe every few seconds must not create one, nor touch more than
one round trip to the database."""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    # A plain round trip on a pooled connection, outside any transaction: on SQLite a
    # transaction would take the write lock (``portal.db``) for what is only a read.
    engine = db.engine
    errors = (SQLAlchemyError, engine.dialect.loaded_dbapi.Error)
    for attempt in (1, 2):  # a pooled connection cut by a restart: once more, on a new one
        try:
            _round_trip(engine)
            break
        except errors:
            if attempt == 2:
                current_app.logger.exception("healthz: the database does not answer")
                return _plain("database unavailable\n", 503)
    return _plain("ok\n", 200)


def _round_trip(engine) -> None:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchone()
        cursor.close()
    except BaseException:
        connection.invalidate()  # not back into the pool
        raise
    finally:
        connection.close()


def _plain(body: str, status: int):
    return body, status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
