"""Real processes for the fault tests, and the waits on them: a free port, a private
``redis-server`` a test can stop and start again (never the shared one on 6379), an app
server (gunicorn), ``portal worker`` and app processes with instance folders of their own,
and ``wait_until`` (poll a condition at a short interval up to a deadline: no fixed sleeps).
The fixtures built on them are in ``conftest.py``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from portal.db import db, reading
from portal.jobs import queue
from portal.jobs.models import Job, JobStatus

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3  # the workers' lease here: a killed one's job is taken over within seconds
STARTUP_SECONDS = 90  # a cold process on a busy machine
WAIT = 120  # the longest a condition is waited for (a PDF each on a busy machine)
POLL = 0.1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process stopped at start (exit {process.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(POLL)
    raise TimeoutError(f"nothing answered on port {port} in {seconds} s")


class RedisServer:
    """A redis-server of the test's own on a free port; ``stop()`` and ``start()`` again
    on the same port (a Redis outage and its return)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, self.process, 20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class AppServer:
    """``gunicorn`` serving ``portal:create_app()`` with ``env`` on a free port."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 4) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["JOBS_FOLDER"]) / f"gunicorn-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--threads", str(threads), "--timeout", "60"]
        command += ["--graceful-timeout", "2"]  # stopped at a test's end: no need to linger
        self.process = subprocess.Popen(
            [*command, "portal:create_app()"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **env},
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_healthy()
        except Exception:
            self.stop()
            raise

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server stopped at start:\n{self.output()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(POLL)
        raise TimeoutError(f"the app server did not answer in {STARTUP_SECONDS} s")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


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
        return self.workers([name], *args)[0]

    def workers(self, names: list[str], *args: str) -> list[subprocess.Popen]:
        """Several workers started side by side (their start-up overlaps), as ``worker``."""
        queue.huey.storage.flush_queue()
        queue.huey.storage.flush_schedule()
        started = []
        for name in names:
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
            started.append(process)
        for name, process in zip(names, started, strict=True):
            while "Arbejderen" not in (line := process.stdout.readline()):
                if not line:
                    raise RuntimeError(f"worker {name} stopped before it started")
            process.log = []  # what it says from then on (the pipe kept drained)
            drain = threading.Thread(target=process.log.extend, args=(process.stdout,))
            drain.daemon = True
            drain.start()
        return started

    @staticmethod
    def running(workers: list[subprocess.Popen], task: str) -> subprocess.Popen:
        """The one of ``workers`` that took ``task`` off the queue (Huey logs "Executing
        portal.jobs.tasks.<task>: <id>" as it starts one); the others said nothing of it."""
        took = [w for w in workers if any(f".{task}:" in line for line in list(w.log))]
        assert len(took) == 1, [("".join(w.log))[-1000:] for w in workers]
        return took[0]

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
        wait_for_port(port, process, STARTUP_SECONDS)
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
        for process in self.started:  # a test's end: its graceful stop is not what is tested
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def wait_until(check: Callable[[], object], what: str, seconds: float = WAIT):
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
        time.sleep(POLL)
    raise TimeoutError(f"{what}: not within {seconds} s")


def job_state(job_id: int) -> tuple[JobStatus, int, int, int]:
    return db.session.execute(
        select(Job.status, Job.done, Job.total, Job.attempts).where(Job.id == job_id)
    ).one()


def server_log(processes: Processes, name: str) -> str:
    """The last of what an app server wrote (for a failing assertion's message)."""
    return (processes.folder / f"{name}.log").read_text()[-3000:]
