"""The fault suite's fixtures (the machinery is in ``processes.py``): a private
``redis-server`` per test (``redis_server``, stopped and started by it) or per module
(``private_redis``), app servers, ``portal worker`` processes, rows committed for real so
those processes see them; and ``survived`` to print what a fault test lived through
(``pytest -s`` or the summary shows it)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portal.db import db
from portal.jobs import queue
from tests.browser_fixtures import empty_database
from tests.faults.processes import AppServer, Processes, RedisServer


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def private_redis() -> Iterator[str]:
    """A redis-server of this test module's own, on a free port, gone afterwards."""
    server = RedisServer()
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


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


def form_token(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def survived(what: str, answered: int, total: int, detail: str = "") -> str:
    """One line of what a fault test lived through, printed for the run's log."""
    line = f"FAULT SURVIVED: {what}: {answered}/{total}" + (f" ({detail})" if detail else "")
    print(line)
    return line
