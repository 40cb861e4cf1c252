"""A job taken off the queue by a worker killed before it marked the job running is not
"queued" for ever: nothing holds it and no message of it waits, so a live worker's lease
keeper finds it missing, and once it stayed missing ``LOST_AFTER_LEASES`` leases, queues it
again (a run begun) or, after the last attempt, fails it and tells its starter."""

# ruff: noqa: F811  (funding_round, a fixture imported from tests.reports, used by name)
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db, utcnow
from portal.jobs import leases, services, tasks
from portal.jobs.models import Job, JobKind, JobStatus
from portal.jobs.queue import huey
from portal.notifications.models import Notification
from portal.reports.scope import ReportScope
from tests.faults.conftest import survived
from tests.faults.processes import LEASE_SECONDS, job_state, wait_until
from tests.reports.conftest import funding_round  # noqa: F401  (fixture)

LEASE = timedelta(seconds=30)  # the tests' JOBS_LEASE_SECONDS
LOST = LEASE * leases.LOST_AFTER_LEASES


def _queued_job(user, round_) -> Job:
    job = services.start_job(JobKind.FUNDING_PDF, ReportScope(round=round_), actor=user)
    db.session.commit()
    return job


def test_a_queued_job_missing_from_the_queue_is_queued_again_then_failed(make_user, funding_round):
    user = make_user(Role.COORDINATOR)
    job = _queued_job(user, funding_round.round)
    now = utcnow()
    assert leases.reclaim_lost(now, {job.id}) == ([], [])  # in the queue: waiting, not lost
    assert leases.reclaim_lost(now, set()) == ([], [])  # missing: marked, not taken yet
    db.session.refresh(job)
    assert job.heartbeat_at is not None and job.attempts == 0
    # back in the queue (it was between a commit and its enqueue): the mark goes
    assert leases.reclaim_lost(now + LEASE, {job.id}) == ([], [])
    db.session.refresh(job)
    assert job.heartbeat_at is None
    leases.reclaim_lost(now + LEASE, set())
    assert leases.reclaim_lost(now + LEASE + LOST - timedelta(seconds=1), set()) == ([], [])
    assert leases.reclaim_lost(now + LEASE + LOST + timedelta(seconds=1), set()) == (
        [job.id],
        [],
    )
    db.session.refresh(job)
    assert (job.status, job.attempts, job.heartbeat_at) == (JobStatus.QUEUED, 1, None)

    job.attempts = 2  # lost, or cut off, twice before: the third loss is the last
    db.session.commit()
    later = now + 3 * LOST
    leases.reclaim_lost(later, set())
    again, failed = leases.reclaim_lost(later + LOST + timedelta(seconds=1), set())
    assert (again, failed) == ([], [job.id])
    services.notify_failed(job.id)
    db.session.commit()
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.error == leases.INTERRUPTED
    assert job.attempts == 3 and job.finished_at is not None
    notice = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert notice.kind == "job_failed" and notice.link == f"/filer/{job.id}"


def test_a_held_or_running_job_is_never_taken_as_lost(make_user, funding_round):
    user = make_user(Role.COORDINATOR)
    job = _queued_job(user, funding_round.round)
    assert leases.claim(job.id, "live-worker")  # dequeued and claimed: running, leased
    db.session.commit()
    later = utcnow() + 10 * LOST
    assert leases.reclaim_lost(utcnow(), set()) == ([], [])
    assert leases.reclaim_lost(later, set()) == ([], [])
    db.session.refresh(job)
    assert job.status == JobStatus.RUNNING and job.attempts == 1


def test_nothing_is_taken_as_lost_while_the_queue_does_not_answer(
    make_user, funding_round, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisDown

    def away():
        raise RedisDown("Connection refused")

    job = _queued_job(make_user(Role.COORDINATOR), funding_round.round)
    monkeypatch.setattr(leases, "queued_job_ids", away)
    assert leases.reclaim_lost(utcnow()) == ([], [])
    assert leases.reclaim_lost(utcnow() + 10 * LOST) == ([], [])
    db.session.refresh(job)
    assert (job.status, job.attempts, job.heartbeat_at) == (JobStatus.QUEUED, 0, None)


def test_the_lease_keeper_runs_a_lost_job(make_user, funding_round):
    """What every worker's lease keeper runs (``tasks.reclaim_lapsed_jobs``) takes the lost
    job too (here, immediate mode, it runs at once)."""
    user = make_user(Role.COORDINATOR)
    job = _queued_job(user, funding_round.round)
    job.heartbeat_at = utcnow() - LOST - timedelta(seconds=1)  # missing since then
    db.session.commit()
    tasks.reclaim_lapsed_jobs()
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 2, job.error  # lost, then run


def test_a_job_dequeued_by_a_worker_killed_before_it_ran_is_run_by_another(
    app, committed_database, processes, make_user
):
    """The killed worker's part is played by this process: it takes the job's message off
    the private Redis (as a consumer does) and never claims the job."""
    from tests.dashboards.helpers import two_municipalities

    round_ = two_municipalities()[0]
    db.session.commit()
    user = make_user(Role.COORDINATOR)
    job = services.start_job(JobKind.PROGRESS_PDF, ReportScope(round=round_), actor=user)
    db.session.commit()
    huey.storage.flush_queue()  # what the test's own commits scheduled: not this test's
    tasks.enqueue(job)
    assert huey.storage.dequeue() is not None  # taken by a worker killed at once
    assert huey.storage.queue_size() == 0 and job_state(job.id)[0] == JobStatus.QUEUED
    db.session.rollback()
    lost_at = time.monotonic()
    processes.worker("live", "--no-periodic")
    bound = LEASE_SECONDS * (leases.LOST_AFTER_LEASES + 1)  # missing since the next look
    wait_until(lambda: job_state(job.id)[0] == JobStatus.DONE, "the lost job run", bound + 60)
    took = time.monotonic() - lost_at
    finished = db.session.get(Job, job.id)
    assert finished.attempts == 2 and finished.error == ""  # the lost run counted
    survived("a job dequeued by a killed worker", 1, 1, f"run by another {took:.1f} s later")
