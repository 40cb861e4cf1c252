"""The fault suite's shared pieces: a free port, a private ``redis-server`` that a test can
stop and start again (never the shared one on 6379), an app server process (gunicorn)
against it, and ``survived`` to print what a fault test lived through (``pytest -s`` or the
summary shows it)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90  # a cold process on a busy machine


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
        time.sleep(0.1)
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


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class AppServer:
    """``gunicorn`` serving ``portal:create_app()`` with ``env`` on a free port."""

    def __init__(self, env: dict[str, str], workers: int = 1, threads: int = 4) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(env["JOBS_FOLDER"]) / f"gunicorn-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(workers), "--threads", str(threads), "--timeout", "60"]
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
            time.sleep(0.2)
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


@pytest.fixture
def app_server() -> Iterator[Callable[..., AppServer]]:
    """``app_server(env)`` starts one; all are stopped at the end of the test."""
    started: list[AppServer] = []

    def start(env: dict[str, str], **kwargs) -> AppServer:
        server = AppServer(env, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def form_token(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def survived(what: str, answered: int, total: int, detail: str = "") -> str:
    """One line of what a fault test lived through, printed for the run's log."""
    line = f"FAULT SURVIVED: {what}: {answered}/{total}" + (f" ({detail})" if detail else "")
    print(line)
    return line
