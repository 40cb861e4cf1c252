"""Fixtures for tests that need real commits from several threads (no wrapping transaction)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from flask import request_started

from portal.db import db
from tests.browser_fixtures import empty_database
from tests.conftest import _fresh_g


@pytest.fixture
def committed_database(app) -> Iterator[None]:
    """What the test commits is committed (other threads and connections see it); every row
    but the municipality register is deleted afterwards."""
    db.session.remove()
    app.extensions["login_throttle"].reset()
    ctx = app.app_context()
    ctx.push()
    request_started.connect(_fresh_g, app)  # as in ``db_session``: each request a fresh ``g``
    try:
        yield None
    finally:
        request_started.disconnect(_fresh_g, app)
        ctx.pop()
        db.session.remove()
        empty_database()
        app.extensions["login_throttle"].reset()


def in_parallel(work: Callable[[int], object], count: int, timeout: float = 60) -> list:
    """Run ``work(i)`` for i in range(count) on ``count`` threads released together; the
    results in order (an exception is returned in its place)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test asserts on it
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


@pytest.fixture
def bare_live_server(app, committed_database) -> Iterator[str]:
    """The app on a free local port (werkzeug's threaded server), no demo data."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
