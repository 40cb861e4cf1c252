"""A real ``portal worker`` process against Redis (its own queue name, so nothing else on
the server is touched): a job enqueued here is run there and its file written."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from portal import files
from portal.auth.models import Role
from portal.db import db
from portal.jobs import queue, services, tasks
from portal.jobs.models import Job, JobKind, JobStatus
from portal.notifications.models import Notification
from portal.reports.scope import ReportScope
from tests.browser_fixtures import empty_database

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 240  # a cold worker process on a busy machine


@pytest.fixture
def committed_database(app):
    """Rows the worker process can see: committed for real, emptied afterwards."""
    db.session.remove()
    with app.app_context():
        yield
        db.session.remove()
        empty_database()


@pytest.fixture
def redis_queue(app):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    name = f"portal-test-{uuid.uuid4().hex[:8]}"
    queue.configure(
        {**app.config, "REDIS_URL": REDIS_URL, "JOBS_QUEUE_NAME": name, "JOBS_IMMEDIATE": False}
    )
    try:
        yield name
    finally:
        queue.huey.storage.flush_all()
        queue.configure(app.config)


def test_a_real_worker_runs_a_job_from_redis(
    app, committed_database, redis_queue, make_user, database_url
):
    from tests.reports.conftest import funding_round

    round_ = funding_round.__wrapped__().round
    user = make_user(Role.COORDINATOR)
    job = services.start_job(JobKind.FUNDING_PDF, ReportScope(round=round_), actor=user)
    db.session.commit()
    tasks.enqueue(job)
    waiting = [t.args for t in queue.huey.pending() if t.name == "run_job"]
    assert waiting == [(job.id,)]  # waiting in Redis, not run here
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "JOBS_QUEUE_NAME": redis_queue,
        "JOBS_FOLDER": app.config["JOBS_FOLDER"],
        "SECRET_KEY": "test-secret",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from portal.cli import main; main()", "worker", "--no-periodic"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        status = JobStatus.QUEUED
        while time.monotonic() < deadline and status not in (JobStatus.DONE, JobStatus.FAILED):
            time.sleep(0.3)
            status = db.session.scalar(select(Job.status).where(Job.id == job.id))
            # end the read at once: on SQLite every transaction holds the write lock (BEGIN
            # IMMEDIATE), and a poll that kept it through its sleep starved the worker
            db.session.rollback()
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert status == JobStatus.DONE, output[-3000:]
    job = db.session.get(Job, job.id)
    assert files.read(job.file_path).startswith(b"%PDF")
    assert db.session.scalar(select(Notification.link).where(Notification.user_id == user.id)) == (
        f"/filer/{job.id}"
    )
