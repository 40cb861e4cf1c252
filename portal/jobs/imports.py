"""A whole round's figures from a large file, imported by the worker: the same
``import_figures`` as the upload page (all or nothing), off the request, because a file of
many thousand rows holds the database's write lock for longer than a page should wait."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from portal.benefits.importing import REQUIRED, import_figures
from portal.errors import RowErrors
from portal.tabular import read_table

MAX_ERRORS_KEPT = 500  # a refused file's reasons kept on the job (the page lists them)


def is_large_import(data: bytes) -> bool:
    """More rows than ``JOBS_IMPORT_ROWS``: run as a job. A file that cannot be read says so
    on the upload page at once (not a job)."""
    try:
        rows = len(read_table(data, REQUIRED, ("note",)))
    except RowErrors:
        return False
    return rows > current_app.config["JOBS_IMPORT_ROWS"]


def run_import(upload: str, round_, actor) -> dict:
    """Import the stored upload and remove it; what the job keeps: the summary, or every
    refused row (``RowErrors`` is raised again with them, after the file is gone)."""
    path = Path(upload)
    try:
        result = import_figures(path.read_bytes(), round_, actor=actor)
    finally:
        path.unlink(missing_ok=True)
    return {"summary": result.summary(), "rows": result.total}
