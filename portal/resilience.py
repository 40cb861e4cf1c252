"""What a request does when PostgreSQL goes away under it (a restart, a failover, a killed
session): the connection pool's ``pre_ping`` covers a connection that died while idle, but
not one cut while a request used it.

- A read-only request (GET, HEAD) whose connection was cut is run once more, on a fresh
  connection; nothing was written, so running it again is safe.
- Any other request whose connection was cut rolled back as a whole (one commit per
  request): it answers 503 with a page saying that nothing was saved, never a 500 and never
  half a change.

``/healthz`` answers 503 while the database does not (``portal.health``).
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DBAPIError, PendingRollbackError, SQLAlchemyError

from portal.db import db

log = logging.getLogger(__name__)
READS = frozenset({"GET", "HEAD"})
NOT_SAVED = _l("Databasen svarede ikke, så det, du sendte, er ikke gemt. Prøv igen om et øjeblik.")


def connection_lost(error: BaseException) -> bool:
    """The database connection was cut (not a refused statement)."""
    if isinstance(error, PendingRollbackError):
        return True  # only ever after a connection was invalidated in a transaction
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig
    text = str(error).lower()
    return any(
        sign in text
        for sign in (
            "terminating connection",
            "server closed the connection",
            "connection is closed",
            "the connection is lost",
            "consuming input failed",
            "connection refused",
        )
    )


def _fresh_session() -> None:
    """Forget the request's session and user, so the next try starts on a new connection."""
    with contextlib.suppress(SQLAlchemyError):  # the connection is gone, invalidated already
        db.session.rollback()
    db.session.remove()
    g.pop("_login_user", None)  # Flask-Login loads the user again, on the new session


def register_resilience(app: Flask) -> None:
    """Answer a lost connection (see the module): a read is run once more, from its
    ``before_request`` steps on (the user is loaded there too); anything else, or a read
    that loses its connection again, gets 503 and a page that says nothing was saved."""

    @app.errorhandler(SQLAlchemyError)
    def _database_away(error):
        if not connection_lost(error):
            raise error
        _fresh_session()
        if request.method in READS:
            log.warning(
                "database connection lost during %s %s: retried", request.method, request.path
            )
            try:
                answer = app.preprocess_request()
                return answer if answer is not None else app.dispatch_request()
            except SQLAlchemyError as again:
                if not connection_lost(again):
                    raise
                error = again
                _fresh_session()
        log.warning(
            "database connection lost during %s %s: 503 (%s)",
            request.method,
            request.path,
            str(error).splitlines()[0],
        )
        return render_template("errors/error.html", code=503, message=NOT_SAVED), 503
