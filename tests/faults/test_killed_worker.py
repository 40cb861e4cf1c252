"""A worker killed outright (SIGKILL: no clean-up runs, as after an out-of-memory kill)
loses nothing for good: its job is taken over by a live worker once the lease lapsed, and
the lock of its periodic work expires, so the next run is not blocked."""

from __future__ import annotations

import io
import time
import zipfile

from sqlalchemy import select

from portal import files
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.jobs import services, tasks
from portal.jobs.models import Job, JobKind, JobLock, JobStatus
from portal.reports import stored
from portal.reports.scope import ReportScope
from tests.faults.processes import LEASE_SECONDS, job_state, wait_until


def _round(municipalities: int):
    """The dashboards' hand-calculated round and ``municipalities`` more, committed."""
    from tests.dashboards.helpers import many_municipalities, two_municipalities

    round_, community, _kbh, _frb = two_municipalities()
    many_municipalities(round_, community, municipalities, months=6)
    db.session.commit()
    return round_


def test_a_zip_job_whose_worker_is_killed_is_finished_by_another(
    app,
    committed_database,
    processes,
    make_user,
):
    round_ = _round(1)
    user = make_user(Role.COORDINATOR)
    job = services.start_job(JobKind.PROGRESS_ZIP, ReportScope(round=round_), actor=user)
    db.session.commit()
    workers = processes.workers(["first", "second"], "--no-periodic")  # both live
    tasks.enqueue(job)
    wait_until(lambda: job_state(job.id)[1] >= 1, "the first PDF made")
    processes.kill(processes.running(workers, "run_job"))  # the one making it
    status, done, total, attempts = job_state(job.id)
    db.session.rollback()
    assert status == JobStatus.RUNNING and 1 <= done < total, (status, done, total)
    killed_at = time.monotonic()
    print(f"\nkilled the worker at {done} of {total} PDFs")
    wait_until(lambda: job_state(job.id)[0] == JobStatus.DONE, "the job finished")
    finished = db.session.get(Job, job.id)
    print(f"a second worker finished it {time.monotonic() - killed_at:.1f} s after the kill")
    assert finished.attempts == 2 and finished.error == ""
    names = zipfile.ZipFile(io.BytesIO(files.read(finished.file_path))).namelist()
    assert len(names) == total == 3 and all(name.endswith(".pdf") for name in names)


def test_a_killed_periodic_task_does_not_block_the_next_run(
    app,
    committed_database,
    processes,
):
    round_ = _round(0)
    workers = processes.workers(["first", "second"], "--no-periodic")
    tasks.prerender_reports()  # what a change of figures schedules
    wait_until(lambda: db.session.get(JobLock, "prerender-reports"), "the lock taken")
    processes.kill(processes.running(workers, "prerender_reports"))
    held = db.session.get(JobLock, "prerender-reports")
    assert held is not None  # the killed worker let go of nothing
    db.session.rollback()
    killed_at = time.monotonic()
    # the lock expires on its own within a lease of its last renewal (polled, no sleep) ...
    wait_until(lambda: db.session.scalar(select(JobLock.expires_at)) < utcnow(), "the lock expired")
    assert time.monotonic() - killed_at <= LEASE_SECONDS + 1
    tasks.prerender_reports()  # ... and the next run takes it from the dead worker
    scope = ReportScope(round=round_)

    def rendered():
        return stored.find("progress", scope, "da") is not None and not db.session.scalar(
            select(JobLock.name)
        )

    wait_until(rendered, "the stored reports rendered by the next run")
    print(f"\nthe next run rendered them {time.monotonic() - killed_at:.1f} s after the kill")
