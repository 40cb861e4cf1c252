"""One place for the files the portal makes and keeps — job outputs, stored reports, large
uploads waiting for the worker — that every app server and worker can read, whichever host
made them. Three stores behind one interface (``FileStore``), chosen by ``FILE_STORE``:

- ``database`` (the production default on PostgreSQL): chunked rows in the database the
  hosts already share, written in the caller's transaction (a job's file and its "done"
  commit together), streamed to the user a chunk at a time;
- ``s3``: an S3-compatible object store (``S3_BUCKET``, ``S3_ENDPOINT_URL``), through boto3;
- ``folder`` (the default on SQLite, a laptop): files under ``FILE_STORE_FOLDER``.

Keys are paths such as ``files/12-ab12-fremdrift.zip`` or ``reports/…pdf``; a key names
one content for ever (a stored report's key holds its data version), so writing a key that
exists already keeps the first copy.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from flask import Flask, Response, current_app


class FileStore(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` whole or not at all (a reader never sees half a file)."""

    def exists(self, key: str) -> bool: ...

    def chunks(self, key: str) -> Iterator[bytes]:
        """The file's bytes a piece at a time; ``FileNotFoundError`` when missing."""

    def delete(self, key: str) -> None:
        """Remove the file; nothing when it is gone already."""

    def delete_older(self, prefix: str, before: datetime) -> int:
        """Remove the files under ``prefix`` stored before ``before``; how many."""


def make_store(config) -> FileStore:
    kind = config.get("FILE_STORE") or (
        "database" if config["DATABASE_URL"].startswith("postgresql") else "folder"
    )
    if kind == "database":
        from portal.files.database import DatabaseStore

        return DatabaseStore()
    if kind == "s3":
        from portal.files.s3 import S3Store

        return S3Store(
            config["S3_BUCKET"],
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            prefix=config.get("S3_PREFIX", ""),
        )
    from portal.files.folder import FolderStore

    return FolderStore(
        config.get("FILE_STORE_FOLDER") or str(Path(config["JOBS_FOLDER"]) / "store")
    )


def init_app(app: Flask) -> None:
    app.extensions["file_store"] = make_store(app.config)


def store() -> FileStore:
    return current_app.extensions["file_store"]


def read(key: str) -> bytes:
    return b"".join(store().chunks(key))


def send(key: str, *, mimetype: str, download_name: str) -> Response:
    """The stored file as a download, streamed a chunk at a time."""
    pieces = store().chunks(key)
    first = next(pieces, b"")  # a missing file raises here, before the response starts

    def body():
        yield first
        yield from pieces

    response = Response(body(), mimetype=mimetype)
    try:  # as Flask's send_file names it (an ASCII name, or both forms)
        download_name.encode("ascii")
        names = {"filename": download_name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", download_name).encode("ascii", "ignore").decode()
        names = {"filename": simple, "filename*": f"UTF-8''{quote(download_name, safe='')}"}
    response.headers.set("Content-Disposition", "attachment", **names)
    return response
