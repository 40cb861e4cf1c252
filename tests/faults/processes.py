"""Real processes for the fault tests: a private ``redis-server`` on a free port (the shared
one is never touched), ``portal worker`` and app server processes with instance folders of
their own, and rows committed for real so those processes see them. Imported by the test
modules (fixtures by name)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.db import db, reading
from portal.jobs import queue
from portal.jobs.models import Job, JobStatus
from tests.browser_fixtures import empty_database

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3  # the workers' lease here: a killed one's job is taken over within seconds
STARTUP_SECONDS = 90  # a cold process on a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process stopped at start (exit {process.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answered on port {port} in {seconds} s")


@pytest.fixture(scope="module")
def private_redis() -> Iterator[str]:
    """A redis-server of this test module's own, on a free port, gone afterwards."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, server, 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def committed_database(app):
    """Rows the other processes can see: committed for real, emptied afterwards."""
    db.session.remove()
    with app.app_context():
        yield
        db.session.remove()
        empty_database()


@pytest.fixture
def redis_queue(app, private_redis) -> Iterator[str]:
    """This process enqueues into the private Redis, as an app server would."""
    queue.configure({**app.config, "REDIS_URL": private_redis, "JOBS_IMMEDIATE": False})
    try:
        yield private_redis
    finally:
        queue.huey.storage.flush_all()
        queue.configure(app.config)


class Processes:
    """Workers and app servers started by a test, each with its own instance folder (its
    ``JOBS_FOLDER``: nothing but the database and Redis is shared), all ended afterwards."""

    def __init__(self, database_url: str, redis_url: str, folder: Path) -> None:
        self.database_url, self.redis_url, self.folder = database_url, redis_url, folder
        self.started: list[subprocess.Popen] = []

    def env(self, name: str, **extra: str) -> dict[str, str]:
        instance = self.folder / name
        instance.mkdir(exist_ok=True)
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "JOBS_FOLDER": str(instance / "jobs"),
            "FILE_STORE": "database",  # every host reads it (the default on PostgreSQL)
            "SECRET_KEY": "test-secret",
            "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
            **extra,
        }

    def worker(self, name: str, *args: str) -> subprocess.Popen:
        """``portal worker`` (one thread), running once it said so. What the test's own
        setup scheduled (the stored reports' rendering after its commits: in Huey a task
        with a delay waits in the queue until a consumer moves it) is dropped first: the
        worker runs what the test hands it from then on."""
        queue.huey.storage.flush_queue()
        queue.huey.storage.flush_schedule()
        process = subprocess.Popen(
            [sys.executable, "-c", "from portal.cli import main; main()", "worker"]
            + ["--workers", "1", *args],
            cwd=ROOT,
            env=self.env(name),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.started.append(process)
        while "Arbejderen" not in (line := process.stdout.readline()):
            if not line:
                raise RuntimeError(f"worker {name} stopped before it started")
        process.log = []  # what it says from then on (the pipe kept drained)
        threading.Thread(target=lambda: process.log.extend(process.stdout), daemon=True).start()
        return process

    def app_server(self, name: str) -> str:
        """The app served by its own process (werkzeug, threaded) on a free port; its URL."""
        port = free_port()
        script = (
            "from werkzeug.serving import run_simple; from portal import create_app; "
            "app = create_app({'WTF_CSRF_ENABLED': False, 'RATELIMIT_STORAGE_URI': 'memory://'}); "
            f"run_simple('127.0.0.1', {port}, app, threaded=True)"
        )
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        _wait_for_port(port, process, STARTUP_SECONDS)
        return f"http://127.0.0.1:{port}"

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL: no clean-up of any kind runs, as after an out-of-memory kill."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def processes(app, database_url, redis_queue) -> Iterator[Processes]:
    """Started processes, ended afterwards; this process reads the same file store."""
    from portal.files.database import DatabaseStore

    kept = app.extensions["file_store"]
    app.extensions["file_store"] = DatabaseStore()
    with tempfile.TemporaryDirectory() as folder:
        started = Processes(database_url, redis_queue, Path(folder))
        try:
            yield started
        finally:
            started.stop_all()
            app.extensions["file_store"] = kept


def wait_until(check: Callable[[], object], seconds: float, what: str):
    """Poll ``check`` until it answers something true. Each poll reads in a reading
    transaction (on SQLite one that neither waits for the worker's write nor blocks it) and
    ends it at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        with reading():
            found = check()
        db.session.rollback()
        if found:
            return found
        time.sleep(0.1)
    raise TimeoutError(f"{what}: not within {seconds} s")


def job_state(job_id: int) -> tuple[JobStatus, int, int, int]:
    return db.session.execute(
        select(Job.status, Job.done, Job.total, Job.attempts).where(Job.id == job_id)
    ).one()


def server_log(processes: Processes, name: str) -> str:
    """The last of what an app server wrote (for a failing assertion's message)."""
    return (processes.folder / f"{name}.log").read_text()[-3000:]
