"""``/healthz`` for the load balancer: 200 when the database answers, 503 when it does not.
No login and no session: a probe every few seconds must not create one, nor touch more than
one round trip to the database."""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.db import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("healthz: the database does not answer")
        return _plain("database unavailable\n", 503)
    return _plain("ok\n", 200)


def _plain(body: str, status: int):
    return body, status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
