"""A whole round's figures from a large file, imported by the worker: the same
``import_figures`` as the upload page (all or nothing), off the request, because a file of
many thousand rows holds the database's write lock for longer than a page should wait.
Registered with the runner (``portal.jobs``) when imported."""

from __future__ import annotations

from flask import current_app

from portal import files
from portal.benefits.files.importing import REQUIRED, import_figures
from portal.benefits.permissions import can_import_for_any
from portal.errors import RowErrors
from portal.jobs.models import Job, JobKind
from portal.jobs.services import Progress, register_job, starter
from portal.reports.scope import ReportScope
from portal.tabular import read_table


def is_large_import(data: bytes) -> bool:
    """More rows than ``JOBS_IMPORT_ROWS``: run as a job. A file that cannot be read says so
    on the upload page at once (not a job)."""
    try:
        rows = len(read_table(data, REQUIRED, ("note",)))
    except RowErrors:
        return False
    return rows > current_app.config["JOBS_IMPORT_ROWS"]


def run_import(upload: str, round_, actor) -> dict:
    """Import the stored upload (``portal.files``; the job removes it once read for good);
    what the job keeps: the summary, or every refused row (``RowErrors``)."""
    result = import_figures(files.read(upload), round_, actor=actor)
    return {"summary": result.summary(), "rows": result.total}


def figures_import(job: Job, scope: ReportScope, progress: Progress) -> None:
    job.params = {**job.params, **run_import(job.params["upload"], scope.round, starter(job))}


register_job(
    JobKind.FIGURES_IMPORT,
    figures_import,
    may_start=lambda user, scope: scope.round is not None and can_import_for_any(user),
)
