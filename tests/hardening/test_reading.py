"""A job that reads a round for a long while (``portal.db.reading``) must not lock the
embedded SQLite database: its transaction is a deferred one, and a writer goes ahead."""

from __future__ import annotations

import time

from portal.db import make_engine, reading


def test_a_reading_transaction_on_sqlite_keeps_no_writer_waiting(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE figures (n INTEGER)")
    reader = engine.connect()
    with reading():
        reader.begin()
        assert reader.exec_driver_sql("SELECT count(*) FROM figures").scalar() == 0
    writer = engine.connect()
    start = time.monotonic()
    with writer.begin():  # BEGIN IMMEDIATE: it would wait for a writing transaction
        writer.exec_driver_sql("INSERT INTO figures VALUES (1)")
    assert time.monotonic() - start < 2  # the busy timeout is 30 s
    assert reader.exec_driver_sql("SELECT count(*) FROM figures").scalar() == 0  # its snapshot
    reader.rollback()
    assert reader.exec_driver_sql("SELECT count(*) FROM figures").scalar() == 1
    reader.close()
    writer.close()
    engine.dispose()
