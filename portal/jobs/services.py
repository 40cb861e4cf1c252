"""Starting a job, running it with its progress, and cleaning up: the rules, with an
explicit actor; the view commits and then hands the job to the queue (``tasks``)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal import files
from portal.audit import services as audit
from portal.auth.models import User
from portal.benefits.permissions import can_import_for_any
from portal.db import db, utcnow
from portal.errors import NotAllowed, RowErrors
from portal.jobs import leases
from portal.jobs.imports import MAX_ERRORS_KEPT, run_import
from portal.jobs.models import Job, JobKind, JobStatus
from portal.municipalities.models import Municipality
from portal.notifications.services import notify_user
from portal.participations.models import Community, Participation
from portal.programmes.models import Round
from portal.reports import stored
from portal.reports.permissions import can_read_all_reports, can_read_report
from portal.reports.scope import ReportScope, ScopeKind

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ALL_ROUNDS = "alle forløb"  # the notice's ``round`` for a report of every round, like a name


@dataclass(frozen=True)
class Made:
    data: bytes
    filename: str
    mimetype: str


def may_start(user: User, kind: JobKind, scope: ReportScope) -> bool:
    """A job makes a report its starter may read; the ZIP of every municipality's report
    is for those who read every report; a round's import for those who import for it."""
    if kind == JobKind.FIGURES_IMPORT:
        return scope.round is not None and can_import_for_any(user)
    if kind == JobKind.PROGRESS_ZIP:
        return scope.round is not None and can_read_all_reports(user)
    if kind == JobKind.PROGRESS_PDF and scope.round is None and scope.kind != ScopeKind.NATIONAL:
        return False  # a municipality's or community's progress report is of one round
    return can_read_report(user, scope)


def start_job(
    kind: JobKind, scope: ReportScope, *, actor: User, locale: str = "da", params=None
) -> Job:
    """A queued job for ``actor``, kept ``JOBS_KEEP_DAYS`` days. Flushes only: commit, then
    ``tasks.enqueue(job)``."""
    if not may_start(actor, kind, scope):
        raise NotAllowed(_l("Du kan ikke lave denne rapport."))
    job = Job(
        params=params or {},
        kind=kind,
        user_id=actor.id,
        round_id=getattr(scope.round, "id", None),
        municipality_id=getattr(scope.municipality, "id", None),
        community_id=getattr(scope.community, "id", None),
        locale=locale,
        expires_at=utcnow() + timedelta(days=current_app.config["JOBS_KEEP_DAYS"]),
    )
    db.session.add(job)
    db.session.flush()
    audit.record("job_started", actor=actor, obj=job, job=kind.value, **scope.audit_details())
    return job


def start_import(data: bytes, round_: Round, *, actor: User, locale: str = "da") -> Job:
    """A large file of ``round_``'s figures, stored (``portal.files``, where every worker
    reads it) until the worker imports it."""
    if not may_start(actor, JobKind.FIGURES_IMPORT, ReportScope(round=round_)):
        raise NotAllowed(_l("Du kan ikke lave denne rapport."))
    key = f"uploads/{secrets.token_hex(16)}.upload"
    files.store().put(key, data)
    return start_job(
        JobKind.FIGURES_IMPORT,
        ReportScope(round=round_),
        actor=actor,
        locale=locale,
        params={"upload": key},
    )


def job_scope(job: Job) -> ReportScope:
    def get(model, ident):
        return db.session.get(model, ident) if ident is not None else None

    return ReportScope(
        round=get(Round, job.round_id),
        municipality=get(Municipality, job.municipality_id),
        community=get(Community, job.community_id),
    )


def _progress_zip(job: Job, scope: ReportScope, progress: Progress) -> Made:
    """Every municipality's stored progress PDF (``reports.stored``; one still pending is
    rendered and stored here), one after the other into the ZIP."""
    count = select(func.count(Participation.id)).where(Participation.round_id == scope.round.id)
    progress(0, db.session.scalar(count))  # the bar's length from the start
    data = stored.municipality_zip(scope.round, job.locale, on_progress=progress)
    return Made(data, f"fremdrift-{scope.round.slug}-kommuner.zip", "application/zip")


def _stored_pdf(kind: str, job: Job, scope: ReportScope, progress: Progress) -> Made:
    """A single report, from the stored file, or rendered and stored for the next reader."""
    progress(0, 2)
    viewer = stored.viewer_for(scope, _starter(job).municipality_id)
    version = stored.data_version(scope)
    progress(1, 2)
    found, data = stored.render_and_store(kind, scope, job.locale, viewer, version)
    return Made(data if data is not None else stored.read(found), found.name, "application/pdf")


def _progress_pdf(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return _stored_pdf("progress", job, scope, progress)


def _funding_pdf(job: Job, scope: ReportScope, progress: Progress) -> Made:
    return _stored_pdf("funding", job, scope, progress)


def _figures_import(job: Job, scope: ReportScope, progress: Progress) -> None:
    job.params = {**job.params, **run_import(job.params["upload"], scope.round, _starter(job))}


BUILDERS: dict[JobKind, Callable[[Job, ReportScope, Progress], Made | None]] = {
    JobKind.PROGRESS_ZIP: _progress_zip,
    JobKind.PROGRESS_PDF: _progress_pdf,
    JobKind.FUNDING_PDF: _funding_pdf,
    JobKind.FIGURES_IMPORT: _figures_import,
}


def _starter(job: Job) -> User:
    return db.session.get(User, job.user_id)


def job_link(job: Job) -> str:
    """The job's page as a path (a worker has no request: a bare one serves for url_for)."""
    if has_request_context():
        return url_for("jobs.show", job_id=job.id)
    with current_app.test_request_context("/"):
        return url_for("jobs.show", job_id=job.id)


def run_job(job_id: int) -> Job | None:
    """Make the job's file (kept in ``portal.files``), committing its progress as it goes
    (the page polls it) and telling its starter in the portal when it is done. The worker
    holds the job's lease while it runs (``leases``): killed, the job is run again by
    another. A failure is kept on the job, never raised: the page says so."""
    owner = leases.new_owner()
    if not leases.claim(job_id, owner):
        db.session.rollback()
        return db.session.get(Job, job_id)  # gone, or taken by another worker already
    db.session.commit()
    job = db.session.get(Job, job_id)
    db.session.refresh(job)
    with leases.job_lease(job_id, owner):
        _run_leased(job, owner)
    return db.session.get(Job, job_id)


def _run_leased(job: Job, owner: str) -> None:
    job_id = job.id

    def progress(done: int, total: int) -> None:
        if not (db.session.new or db.session.dirty or db.session.deleted):
            db.session.rollback()  # end a reading transaction first (``portal.db.reading``)
        job.done, job.total = done, total
        db.session.commit()

    job.total = job.total or 1
    db.session.commit()
    try:
        with force_locale(job.locale):
            made = BUILDERS[job.kind](job, job_scope(job), progress)
            if not leases.still_held(job_id, owner):
                db.session.rollback()  # taken over after a lapse: the other run finishes it
                return
            if made is not None:
                key = f"files/{job.id}-{secrets.token_hex(8)}-{made.filename}"
                files.store().put(key, made.data)
                job.file_path, job.filename, job.mimetype = key, made.filename, made.mimetype
            job.status = JobStatus.DONE
            job.done = job.total
            job.finished_at = utcnow()
            _notify_done(job)
    except Exception as error:  # noqa: BLE001 - kept on the job and logged, shown on its page
        db.session.rollback()  # all or nothing: an import's rows too
        job = db.session.get(Job, job_id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, str(error)[:2000], utcnow()
        if isinstance(error, RowErrors):
            job.params = {**job.params, "errors": error.errors[:MAX_ERRORS_KEPT]}
        else:
            log.exception("job %s failed", job_id)
    if job.params.get("upload"):  # read for good (imported or refused): not kept
        files.store().delete(job.params["upload"])
    job.lease_owner, job.heartbeat_at = "", None
    db.session.commit()


def _notify_done(job: Job) -> None:
    round_ = db.session.get(Round, job.round_id) if job.round_id else None
    name = round_.name_da if round_ else ALL_ROUNDS
    if job.kind == JobKind.FIGURES_IMPORT:
        kind, params = "import_done", {"round": name, "summary": job.params["summary"]}
    else:
        kind, params = "job_done", {"round": name, "file": job.filename}
    notify_user(_starter(job), kind, params, link=job_link(job))


def mark_interrupted(job_id: int) -> None:
    """A worker stopping in the middle of a job lets go of its lease at once: the next look
    for lapsed leases (``leases.reclaim_lapsed``) runs it again elsewhere. Flushes only."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING)
        .values(heartbeat_at=datetime(2000, 1, 1, tzinfo=UTC))
        .execution_options(synchronize_session=False)
    )


def notify_failed(job_id: int) -> None:
    """Tell the starter their job was given up (``leases.reclaim_lapsed``). Flushes only."""
    job = db.session.get(Job, job_id)
    round_ = db.session.get(Round, job.round_id) if job.round_id else None
    params = {"round": round_.name_da if round_ else ALL_ROUNDS, "file": _job_title(job)}
    notify_user(_starter(job), "job_failed", params, link=job_link(job))


def _job_title(job: Job) -> str:
    return {
        JobKind.PROGRESS_ZIP: "fremdrift-kommuner.zip",
        JobKind.PROGRESS_PDF: "fremdrift.pdf",
        JobKind.FUNDING_PDF: "tilskud.pdf",
        JobKind.FIGURES_IMPORT: "indlæsning",
    }[job.kind]


def record_download(job: Job, *, actor: User) -> None:
    """Audited like the report's own download."""
    scope = job_scope(job)
    report = "progress" if job.kind != JobKind.FUNDING_PDF else "funding"
    key = "pdf-zip" if job.kind == JobKind.PROGRESS_ZIP else "pdf"
    audit.record(
        "report_downloaded",
        actor=actor,
        report=report,
        format=key,
        job_id=job.id,
        **scope.audit_details(),
    )


def remove_expired(now=None) -> int:
    """Delete the jobs past their time and their files; how many. Flushes only."""
    now = now or utcnow()
    expired = list(db.session.scalars(select(Job).where(Job.expires_at <= now)))
    store = files.store()
    for job in expired:
        for key in (job.file_path, job.params.get("upload")):  # a file made, or never read
            if key:
                store.delete(key)
        db.session.delete(job)
    db.session.flush()
    return len(expired)
