"""The job queue: one Huey instance for the whole process, configured from the app.

Tasks are declared on ``huey`` at import time, before any app exists, so the instance is
made here and given its storage when an app is created (``init_app``): Redis when
``REDIS_URL`` is set (several app hosts and workers share one queue), otherwise a SQLite
file in the instance folder (the embedded default, nothing to install). Under ``TESTING``
it runs in immediate mode: a task runs at once, in the caller's thread and session.
"""

from __future__ import annotations

import functools
from pathlib import Path

from flask import Flask, has_app_context
from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import MemoryStorage
from redis import ConnectionPool

# Immediate (in-memory) until an app configures it, so importing a task never needs a broker.
huey = Huey("portal", immediate=True, storage_class=MemoryStorage)

_app: Flask | None = None  # the app a worker's threads run their tasks in


def configure(config) -> None:
    """Point ``huey`` at the storage ``config`` names (see the module)."""
    name = config.get("JOBS_QUEUE_NAME") or "portal"
    immediate = bool(config.get("JOBS_IMMEDIATE"))
    if config.get("REDIS_URL"):
        # an unreachable Redis answers a page within seconds (``tasks.enqueue``)
        storage_class = RedisHuey.storage_class
        pool = ConnectionPool.from_url(config["REDIS_URL"], socket_connect_timeout=2)
        kwargs = {"connection_pool": pool}
    else:
        filename = Path(config["JOBS_FOLDER"]) / "queue.sqlite3"
        filename.parent.mkdir(parents=True, exist_ok=True)
        storage_class, kwargs = SqliteHuey.storage_class, {"filename": str(filename)}
    huey.name = name
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.immediate = immediate
    huey.storage = huey.create_storage()  # the new name and storage, whichever the mode


def init_app(app: Flask) -> None:
    global _app
    configure(app.config)
    _app = app
    app.extensions["huey"] = huey


def in_app_context(func):
    """Run a task inside the app: the caller's context in immediate mode (same session),
    a fresh one per task in a worker thread (its own session, removed afterwards)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        if _app is None:
            raise RuntimeError("no app configured the job queue (portal worker creates one)")
        with _app.app_context():
            return func(*args, **kwargs)

    return wrapper
