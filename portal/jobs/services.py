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
from sqlalchemy import select, update

from portal import files
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import NotAllowed, RowErrors
from portal.jobs import leases
from portal.jobs.models import Job, JobKind, JobStatus
from portal.municipalities.models import Municipality
from portal.notifications.services import notify_user
from portal.participations.models import Community
from portal.programmes.models import Round
from portal.reports.scope import ReportScope

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
MAX_ERRORS_KEPT = 500  # a refused file's reasons kept on the job (the page lists them)
ALL_ROUNDS = "alle forløb"  # the notice's ``round`` for a report of every round, like a name


@dataclass(frozen=True)
class Made:
    data: bytes
    filename: str
    mimetype: str


def may_start(user: User, kind: JobKind, scope: ReportScope) -> bool:
    """Whether ``user`` may start a job of ``kind`` for ``scope``: the domain that registered
    the kind answers (a report its starter may read, an import for those who import)."""
    allowed = MAY_START.get(kind)
    return allowed is not None and allowed(user, scope)


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


# What each kind of job makes, registered by the domain that owns the work (``register_job``:
# the reports in ``reports.jobs``, a large import in ``benefits.files.import_job``); the
# runner below knows none of them.
Build = Callable[[Job, ReportScope, Progress], Made | None]
BUILDERS: dict[JobKind, Build] = {}
MAY_START: dict[JobKind, Callable[[User, ReportScope], bool]] = {}


def register_job(
    kind: JobKind, build: Build, *, may_start: Callable[[User, ReportScope], bool]
) -> None:
    """``build(job, scope, progress)`` makes the job's file (``Made``) or does its work and
    returns None; ``may_start(user, scope)`` says who may start it."""
    BUILDERS[kind] = build
    MAY_START[kind] = may_start


def starter(job: Job) -> User:
    """The user who started the job (a builder makes the job's file as that user)."""
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
    if job.kind == JobKind.PERSON_ERASURE:  # no file: the admin's page says it is done
        return
    round_ = db.session.get(Round, job.round_id) if job.round_id else None
    name = round_.name_da if round_ else ALL_ROUNDS
    if job.kind == JobKind.FIGURES_IMPORT:
        kind, params = "import_done", {"round": name, "summary": job.params["summary"]}
    else:
        kind, params = "job_done", {"round": name, "file": job.filename}
    notify_user(starter(job), kind, params, link=job_link(job))


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
    notify_user(starter(job), "job_failed", params, link=job_link(job))


def _job_title(job: Job) -> str:
    return {
        JobKind.PROGRESS_ZIP: "fremdrift-kommuner.zip",
        JobKind.PROGRESS_PDF: "fremdrift.pdf",
        JobKind.FUNDING_PDF: "tilskud.pdf",
        JobKind.FIGURES_IMPORT: "indlæsning",
        JobKind.PROGRESS_XLSX: "fremdrift.xlsx",
        JobKind.PROGRESS_CSV_ZIP: "fremdrift-csv.zip",
        JobKind.PERSON_EXPORT: "persondata.zip",
        JobKind.PERSON_ERASURE: "sletning af persondata",
    }[job.kind]


def record_download(job: Job, *, actor: User) -> None:
    """Audited like the report's own download (a person's data as a hand-over to them)."""
    if job.kind == JobKind.PERSON_EXPORT:
        audit.record("person_exported", actor=actor, job_id=job.id, person=job.params["person"])
        return
    scope = job_scope(job)
    report = "progress" if job.kind != JobKind.FUNDING_PDF else "funding"
    key = {
        JobKind.PROGRESS_ZIP: "pdf-zip",
        JobKind.PROGRESS_XLSX: "xlsx",
        JobKind.PROGRESS_CSV_ZIP: "zip",
    }.get(job.kind, "pdf")
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
