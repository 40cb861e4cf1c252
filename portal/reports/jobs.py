"""The reports made as background jobs (``portal.jobs``, the runner): a round's progress
reports of every municipality as one ZIP, a single progress or funding report as a PDF,
from the stored file (``reports.stored``), and a round's or the nation's progress workbook.
Registered with the runner when imported."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth.models import User
from portal.db import db
from portal.jobs.models import Job, JobKind
from portal.jobs.services import Made, Progress, register_job, starter
from portal.participations.models import Participation
from portal.reports import stored
from portal.reports.formats import filename, render_report
from portal.reports.permissions import can_read_all_reports, can_read_report
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope, ScopeKind


def progress_zip(job: Job, scope: ReportScope, progress: Progress) -> Made:
    """Every municipality's stored progress PDF (``reports.stored``; one still pending is
    rendered and stored here), one after the other into the ZIP."""
    count = select(func.count(Participation.id)).where(Participation.round_id == scope.round.id)
    progress(0, db.session.scalar(count))  # the bar's length from the start
    data = stored.municipality_zip(scope.round, job.locale, on_progress=progress)
    return Made(data, f"fremdrift-{scope.round.slug}-kommuner.zip", "application/zip")


def stored_pdf(kind: str, job: Job, scope: ReportScope, progress: Progress) -> Made:
    """A single report, from the stored file, or rendered and stored for the next reader."""
    progress(0, 2)
    viewer = stored.viewer_for(scope, starter(job).municipality_id)
    version = stored.data_version(scope)
    progress(1, 2)
    found, data = stored.render_and_store(kind, scope, job.locale, viewer, version)
    return Made(data if data is not None else stored.read(found), found.name, "application/pdf")


def progress_pdf(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return stored_pdf("progress", job, scope, progress)


def funding_pdf(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return stored_pdf("funding", job, scope, progress)


def progress_file(key: str, job: Job, scope: ReportScope, progress: Progress) -> Made:
    """A round's (or the nation's) progress report as a file of every municipality's rows,
    as its starter reads it: at 750 municipalities seconds of CPU, about ten seconds on a
    busy machine, so the worker writes it (``AS_JOB``)."""
    progress(0, 2)
    user = starter(job)
    report = progress_report(scope, viewer_municipality_id=user.municipality_id, viewer=user)
    progress(1, 2)
    data, fmt = render_report(report, key)
    return Made(data, filename(report, fmt), fmt.mimetype)


def progress_xlsx(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return progress_file("xlsx", job, scope, progress)


def progress_csv_zip(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return progress_file("zip", job, scope, progress)


# The progress report's formats made as jobs for a round or the nation: the workbook and
# the CSV files in a ZIP (every table whole; the single CSV is the main table, in the request).
AS_JOB = {"xlsx": JobKind.PROGRESS_XLSX, "zip": JobKind.PROGRESS_CSV_ZIP}


def xlsx_as_job(scope: ReportScope) -> bool:
    """Whether a progress file of ``scope`` (``AS_JOB``) is made as a job: a round's or the
    nation's (every municipality's rows); a municipality's, a community's or a region's is
    small and written in the request."""
    return scope.kind == ScopeKind.NATIONAL


def may_start_xlsx(user: User, scope: ReportScope) -> bool:
    return xlsx_as_job(scope) and can_read_report(user, scope)


def may_start_zip(user: User, scope: ReportScope) -> bool:
    """The ZIP of every municipality's report is for those who read every report."""
    return scope.round is not None and can_read_all_reports(user)


def may_start_progress(user: User, scope: ReportScope) -> bool:
    """A municipality's or community's progress report is of one round."""
    if scope.round is None and scope.kind != ScopeKind.NATIONAL:
        return False
    return can_read_report(user, scope)


register_job(JobKind.PROGRESS_ZIP, progress_zip, may_start=may_start_zip)
register_job(JobKind.PROGRESS_PDF, progress_pdf, may_start=may_start_progress)
register_job(JobKind.FUNDING_PDF, funding_pdf, may_start=can_read_report)
register_job(JobKind.PROGRESS_XLSX, progress_xlsx, may_start=may_start_xlsx)
register_job(JobKind.PROGRESS_CSV_ZIP, progress_csv_zip, may_start=may_start_xlsx)
