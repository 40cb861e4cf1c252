"""Work that survives its worker: leases on jobs, expiring locks on periodic work.

A worker killed outright (SIGKILL, out of memory, a host lost) runs no clean-up, so nothing
it holds may depend on it letting go. A running job carries a lease in its row (who runs
it, ``heartbeat_at``), renewed by a thread of the worker every third of
``JOBS_LEASE_SECONDS``; every live worker looks for lapsed leases as often
(``LeaseKeeper``) and puts such a job back in the queue — or, after ``JOBS_MAX_ATTEMPTS``
runs, marks it failed and tells its starter. A job can also be lost before it ran: taken off
the queue by a worker killed before it marked the job running (or lost with the queue's
data). Nothing then holds it, so the same look finds queued jobs whose message is in neither
the queue nor its schedule (``reclaim_lost``). A periodic task's lock (``periodic_lock``) is a
row with an expiry its holder moves on while it works. Every change is a compare-and-set in
one statement, so two workers never both take the same job or lock.

In immediate mode (tests, ``JOBS_IMMEDIATE``) a job runs in its caller's transaction:
nothing to renew and nobody to take over, so no thread runs and locks are not taken.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask, current_app
from redis.exceptions import RedisError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from portal.db import db, utcnow
from portal.jobs.models import Job, JobLock, JobStatus
from portal.jobs.queue import huey

log = logging.getLogger(__name__)

# What the job's page says after its last run was cut off (shown with the failure notice).
INTERRUPTED = "Arbejderen stoppede midt i jobbet for mange gange. Start det igen."

# A queued job missing from the queue this many leases in a row was lost (``reclaim_lost``).
LOST_AFTER_LEASES = 3


def new_owner() -> str:
    return secrets.token_hex(8)


def lease_seconds() -> int:
    return current_app.config["JOBS_LEASE_SECONDS"]


class _Renewer(threading.Thread):
    """Calls ``renew()`` every ``interval`` seconds until stopped."""

    def __init__(self, renew, interval: float, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self._renew, self._interval, self._stop = renew, interval, threading.Event()

    def run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._renew()
            except Exception:  # noqa: BLE001 - the next beat tries again; a lapse is safe
                log.exception("%s: the lease could not be renewed", self.name)

    def stop(self) -> None:
        self._stop.set()
        self.join(timeout=5)


@contextmanager
def _renewing(renew, name: str) -> Iterator[None]:
    if huey.immediate:
        yield
        return
    renewer = _Renewer(renew, max(lease_seconds() / 3, 0.2), name)
    renewer.start()
    try:
        yield
    finally:
        renewer.stop()


# Jobs -----------------------------------------------------------------------------------


def claim(job_id: int, owner: str) -> bool:
    """Take a queued job for ``owner``: running, leased now, one more attempt. False when
    another worker took it first (or it is no longer queued). Flushes only."""
    taken = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING,
            lease_owner=owner,
            heartbeat_at=utcnow(),
            attempts=Job.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def still_held(job_id: int, owner: str) -> bool:
    """The job is still ``owner``'s (not taken over after a lapse)."""
    found = db.session.scalar(select(Job.lease_owner).where(Job.id == job_id))
    return found == owner


@contextmanager
def job_lease(job_id: int, owner: str) -> Iterator[None]:
    """Renew the job's lease while the block runs (in a worker; see the module)."""
    engine: Engine = db.engine

    def renew() -> None:
        with engine.begin() as connection:
            connection.execute(
                update(Job)
                .where(Job.id == job_id, Job.lease_owner == owner)
                .values(heartbeat_at=utcnow())
            )

    with _renewing(renew, f"lease-job-{job_id}"):
        yield


def reclaim_lapsed(now=None) -> tuple[list[int], list[int]]:
    """Jobs whose lease lapsed, and queued jobs lost before they ran (``reclaim_lost``):
    back to the queue, or failed after their last attempt; the ids of each (the caller
    commits, then enqueues the first). Flushes only."""
    now = now or utcnow()
    lost_again, lost_failed = reclaim_lost(now)
    cutoff = now - timedelta(seconds=lease_seconds())
    lapsed = db.session.execute(
        select(Job.id, Job.attempts, Job.lease_owner).where(
            Job.status == JobStatus.RUNNING, Job.heartbeat_at < cutoff
        )
    ).all()
    again: list[int] = []
    failed: list[int] = []
    for job_id, attempts, owner in lapsed:
        last = attempts >= current_app.config["JOBS_MAX_ATTEMPTS"]
        values = (
            {"status": JobStatus.FAILED, "error": INTERRUPTED, "finished_at": now}
            if last
            else {"status": JobStatus.QUEUED, "done": 0}
        )
        changed = db.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.RUNNING, Job.lease_owner == owner)
            .values(lease_owner="", heartbeat_at=None, **values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount == 1:
            (failed if last else again).append(job_id)
            log.warning(
                "job %s: its worker stopped (attempt %d); %s",
                job_id,
                attempts,
                "failed" if last else "queued again",
            )
    db.session.expire_all()
    return again + lost_again, failed + lost_failed


def queued_job_ids() -> set[int]:
    """The jobs whose ``run_job`` message waits in the queue or its schedule."""
    tasks = [*huey.pending(), *huey.scheduled()]
    return {task.args[0] for task in tasks if task.name == "run_job" and task.args}


def reclaim_lost(now, in_queue: set[int] | None = None) -> tuple[list[int], list[int]]:
    """Queued jobs nobody holds and whose message is not in the queue (``in_queue``, read
    from it when not given, and only when such jobs exist; not looked for while the queue
    does not answer: nothing could be queued then anyway): lost
    when a worker took the message and was killed before it claimed the job. A look that
    finds such a job missing marks when (its ``heartbeat_at``: no lease runs on a queued
    job); a job found in the queue again loses the mark. One still missing
    ``LOST_AFTER_LEASES`` leases after its mark counts as a run begun: it is queued again,
    or failed after its last attempt (then its starter is told, as for a lapsed lease).
    Being missing for a moment is normal (between a commit and its enqueue, between a
    worker's dequeue and its claim), so only a job missing at two looks that far apart is
    taken. Returns the ids queued again and failed (the caller commits, enqueues, tells).
    Flushes only."""
    cutoff = now - timedelta(seconds=lease_seconds() * LOST_AFTER_LEASES)
    unheld = db.session.execute(
        select(Job.id, Job.attempts, Job.heartbeat_at).where(
            Job.status == JobStatus.QUEUED, Job.lease_owner == ""
        )
    ).all()
    again: list[int] = []
    failed: list[int] = []
    if unheld and in_queue is None:
        try:
            in_queue = queued_job_ids()
        except (RedisError, OSError) as error:
            log.warning("lost jobs not looked for, the queue does not answer: %s", error)
            return again, failed
    for job_id, attempts, missing_since in unheld:
        still = (Job.id == job_id, Job.status == JobStatus.QUEUED, Job.lease_owner == "")
        if job_id in in_queue:
            values = {"heartbeat_at": None} if missing_since is not None else None
        elif missing_since is None:
            values = {"heartbeat_at": now}  # missing now; lost if still missing later
        elif missing_since < cutoff:
            last = attempts + 1 >= current_app.config["JOBS_MAX_ATTEMPTS"]
            values = {"attempts": attempts + 1, "heartbeat_at": None}
            if last:
                values.update(status=JobStatus.FAILED, error=INTERRUPTED, finished_at=now)
            still += (Job.attempts == attempts,)
        else:
            continue
        if values is None:
            continue
        changed = db.session.execute(
            update(Job).where(*still).values(**values).execution_options(synchronize_session=False)
        )
        if changed.rowcount == 1 and "attempts" in values:
            (failed if last else again).append(job_id)
            log.warning(
                "job %s: lost from the queue before it ran (attempt %d); %s",
                job_id,
                attempts + 1,
                "failed" if last else "queued again",
            )
    return again, failed


class LeaseKeeper(threading.Thread):
    """A worker's thread that takes over lapsed jobs every third of the lease (``reclaim``
    commits and enqueues; see ``portal.jobs.tasks.reclaim_lapsed_jobs``)."""

    def __init__(self, app: Flask, reclaim) -> None:
        super().__init__(name="lease-keeper", daemon=True)
        self.app, self.reclaim, self._stop = app, reclaim, threading.Event()

    def run(self) -> None:
        interval = max(self.app.config["JOBS_LEASE_SECONDS"] / 3, 0.2)
        while True:
            try:
                with self.app.app_context():
                    self.reclaim()
            except Exception:  # noqa: BLE001 - tried again at the next beat
                log.exception("lapsed jobs could not be taken over")
            if self._stop.wait(interval):
                return

    def stop(self) -> None:
        self._stop.set()


# Locks of periodic work -------------------------------------------------------------------


def _acquire(engine: Engine, name: str, owner: str, seconds: int) -> bool:
    now = utcnow()
    expires = now + timedelta(seconds=seconds)
    with engine.begin() as connection:
        taken = connection.execute(
            update(JobLock)
            .where(JobLock.name == name, JobLock.expires_at < now)
            .values(owner=owner, expires_at=expires)
        )
        if taken.rowcount == 1:
            return True
    try:
        with engine.begin() as connection:
            connection.execute(insert(JobLock).values(name=name, owner=owner, expires_at=expires))
    except IntegrityError:
        return False  # held, and not expired
    return True


@contextmanager
def periodic_lock(name: str) -> Iterator[bool]:
    """Hold the lock ``name`` while the block runs, renewing it; yields False (and holds
    nothing) when another holds it. A holder killed outright blocks the next run for at
    most ``JOBS_LEASE_SECONDS``."""
    if huey.immediate:
        yield True
        return
    engine: Engine = db.engine
    owner, seconds = new_owner(), lease_seconds()
    if not _acquire(engine, name, owner, seconds):
        yield False
        return

    def renew() -> None:
        with engine.begin() as connection:
            connection.execute(
                update(JobLock)
                .where(JobLock.name == name, JobLock.owner == owner)
                .values(expires_at=utcnow() + timedelta(seconds=seconds))
            )

    try:
        with _renewing(renew, f"lock-{name}"):
            yield True
    finally:
        with engine.begin() as connection:
            connection.execute(delete(JobLock).where(JobLock.name == name, JobLock.owner == owner))
