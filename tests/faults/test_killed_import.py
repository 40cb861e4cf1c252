"""A big import cut off half-way stores nothing: the worker running a round's figures import
is killed outright in the middle of it (its rows written, not committed), and not one row
is stored; the second worker, live all along, then takes the job over and imports the file
whole, once."""

from __future__ import annotations

import time
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.auth.models import Role
from portal.benefits.models import Cost, Measurement
from portal.db import db, reading
from portal.jobs import services, tasks
from portal.jobs.models import Job, JobStatus
from portal.municipalities.models import Municipality
from tests.faults.processes import job_state, wait_until

MONTHS = [date(2025 + (8 + n) // 12, (8 + n) % 12 + 1, 1) for n in range(15)]  # Sep 25–Nov 26


def _big_file(codes: list[int], categories: int) -> bytes:
    """Every month's visits and kilometres and day-by-day one-off costs in ``categories``
    categories of each municipality: 30 + 450 a category for each (47,000 for Denmark's)."""
    lines = ["municipality,indicator,kind,date,value,note"]
    days = [date(2025, 9, 1) + timedelta(days=n) for n in range(450)]
    for code in codes:
        for key in ("screen_visits", "km_driven"):
            lines += [f"{code},{key},measurement,{day},{n + 1}," for n, day in enumerate(MONTHS)]
        for c in range(categories):
            lines += [
                f"{code},engangs:Post {c},cost,{day},{n + 100}," for n, day in enumerate(days)
            ]
    return ("\n".join(lines) + "\n").encode()


def _stored_rows() -> int:
    return sum(db.session.scalar(select(func.count(m.id))) for m in (Measurement, Cost))


def _writing_on_sqlite(database_url: str):
    """SQLite: the import's transaction has written (its pages spill into the write-ahead
    log, uncommitted) once the log grew by a megabyte."""
    from pathlib import Path

    wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
    start = wal.stat().st_size if wal.exists() else 0
    return lambda: wal.exists() and wal.stat().st_size > start + 1024 * 1024


def _blocked_at_its_end(job_id: int):
    """PostgreSQL: hold the job's row, so the import, its rows written, waits at the very
    end (the job's own update, in the same transaction) until the worker is killed there."""
    from sqlalchemy import text

    locker = db.engine.connect()
    locker.execute(text("SELECT id FROM jobs WHERE id = :id FOR UPDATE"), {"id": job_id})

    def waiting() -> bool:
        with db.engine.connect() as connection:
            return bool(
                connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND query LIKE 'UPDATE jobs SET%' AND query LIKE '%status%'"
                    )
                )
            )

    return locker, waiting


def test_a_big_import_cut_off_half_way_stores_nothing(
    app, committed_database, processes, make_user, database_url
):
    from tests.benefits.helpers import figures_round

    codes = list(
        db.session.scalars(
            select(Municipality.code)
            .where(Municipality.country == "DK")
            .order_by(Municipality.code)
        )
    )
    round_ = figures_round(codes=codes)
    user = make_user(Role.COORDINATOR)
    postgres = db.engine.dialect.name == "postgresql"
    # PostgreSQL holds the import at its very end whatever its size: 9,600 rows (a job's
    # size, over JOBS_IMPORT_ROWS). SQLite is caught writing by its log's growth: 47,000,
    # enough to spill megabytes of uncommitted pages before it could commit.
    data = _big_file(codes[:20] if postgres else codes, 1)
    rows = data.count(b"\n") - 1
    job = services.start_import(data, round_, actor=user)
    db.session.commit()
    writing = None if postgres else _writing_on_sqlite(database_url)
    workers = processes.workers(["first", "second"], "--no-periodic")  # both live
    tasks.enqueue(job)
    try:
        wait_until(lambda: job_state(job.id)[2] == 1, "the import started")
    except TimeoutError:
        logs = ["".join(w.log)[-1500:] for w in workers]
        raise AssertionError((job_state(job.id), logs)) from None
    began = time.monotonic()
    first = processes.running(workers, "run_job")
    if postgres:
        locker, waiting = _blocked_at_its_end(job.id)
        wait_until(waiting, "the import's rows written, its end waiting")
        processes.kill(first)
        locker.close()
    else:
        wait_until(
            lambda: writing() or job_state(job.id)[0] != JobStatus.RUNNING,
            "the import's rows being written",
        )
        processes.kill(first)
    with reading():
        status = job_state(job.id)[0]
        stored = _stored_rows()
    db.session.rollback()
    print(
        f"\nkilled the import of {rows} rows {time.monotonic() - began:.1f} s in: {stored} stored"
    )
    # cut off: neither done nor failed (running, or queued again by the live worker)
    assert status in (JobStatus.RUNNING, JobStatus.QUEUED), (
        status,
        db.session.get(Job, job.id).params.get("errors", [])[:5],
    )
    assert stored == 0
    wait_until(lambda: job_state(job.id)[0] == JobStatus.DONE, "the import taken over")
    finished = db.session.get(Job, job.id)
    assert finished.attempts == 2 and finished.params["rows"] == rows
    assert _stored_rows() == rows  # whole, once
