"""Real-browser fixtures: Playwright driving Debian's Chromium against a live server.

Under ``CI=true`` a missing browser fails the run instead of skipping the journeys.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from portal.db import db

CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        message = (
            "Chromium not found: install Debian's 'chromium' (make test does) or set CHROMIUM_PATH"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": path,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def empty_database() -> None:
    """Delete every row but the municipality register, which the whole run shares."""
    from portal.demo import clear_data

    clear_data()
    db.session.commit()
    db.session.remove()


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served on a free local port, with the demo loaded; emptied afterwards."""
    from portal.demo import load_demo

    db.session.remove()
    with app.app_context():
        load_demo()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        db.session.remove()
        empty_database()
        app.extensions["login_throttle"].reset()
