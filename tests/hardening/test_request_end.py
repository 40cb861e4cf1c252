"""How a request's transaction ends: one that only read ends with COMMIT on PostgreSQL, so
psycopg keeps its prepared statements (it drops them at every ROLLBACK, and planning a
dashboard's query costs more than running it); anything written, flushed or waiting to be
and not committed is rolled back, on both databases."""

from __future__ import annotations

from sqlalchemy import delete, select, text, update

from portal.db import db
from portal.municipalities.models import Municipality

CODE = 9901


def test_what_a_request_wrote_and_did_not_commit_is_rolled_back(app, committed_database):
    first_id, name = db.session.execute(
        select(Municipality.id, Municipality.name).order_by(Municipality.id)
    ).first()
    try:
        with app.app_context():  # a request that read first, then flushed a new row
            db.session.scalar(select(Municipality.id).where(Municipality.id == first_id))
            db.session.add(
                Municipality(country="DK", code=CODE, name="Ny", full_name="Ny", region="X")
            )
            db.session.flush()
        with app.app_context():  # a bulk update, no ORM object involved
            db.session.execute(
                update(Municipality).where(Municipality.id == first_id).values(name="Opdateret")
            )
        with app.app_context():  # changed in memory, never flushed
            db.session.get(Municipality, first_id).name = "Ændret"
        with app.app_context():
            assert db.session.scalar(select(Municipality).where(Municipality.code == CODE)) is None
            assert db.session.get(Municipality, first_id).name == name
    finally:
        with app.app_context():
            db.session.execute(delete(Municipality).where(Municipality.code == CODE))
            db.session.execute(
                update(Municipality).where(Municipality.id == first_id).values(name=name)
            )
            db.session.commit()


def test_a_request_that_only_read_keeps_the_prepared_statements(app, committed_database):
    """On PostgreSQL: the sixth time a query runs, psycopg prepares it; a read-only request
    ending with ROLLBACK would drop it again, one ending with COMMIT keeps it."""
    if db.engine.dialect.name != "postgresql":
        assert db.engine.dialect.name == "sqlite"  # nothing is prepared there
        return
    query = text("SELECT count(*) FROM municipalities WHERE code > :code")
    for _ in range(7):
        with app.app_context():
            assert db.session.execute(query, {"code": 100}).scalar() > 0
            dbapi = db.session.connection().connection.dbapi_connection
    assert dbapi._prepared._names, "psycopg dropped its prepared statements"
