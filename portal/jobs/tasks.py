"""What the worker runs of its own: the users' jobs, the clean-up of old files and the
re-rendering of changed reports. The domains register their periodic work with the same
queue in their own ``tasks`` modules (the outbox: ``notifications.tasks``; the reporting
reminders: ``reporting.tasks``; the dashboards' drawing: ``dashboards.tasks``). Each task
runs in the app (``queue.in_app_context``) and commits its own work."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from huey.signals import SIGNAL_INTERRUPTED
from redis.exceptions import RedisError

from portal import files
from portal.db import db, utcnow
from portal.errors import PortalError
from portal.jobs import leases, services
from portal.jobs.models import Job, JobStatus
from portal.jobs.queue import huey, in_app_context

log = logging.getLogger(__name__)

# How long after a change of figures the changed reports are rendered: after several
# changes in a row (an import, a form saved twice) the first run renders the latest
# version, and the runs after it find that version stored and do nothing.
PRERENDER_DELAY = 10


@huey.task()
@in_app_context
def run_job(job_id: int) -> None:
    services.run_job(job_id)


@huey.signal(SIGNAL_INTERRUPTED)
@in_app_context
def _interrupted(_signal, task, *_args) -> None:
    """A worker stopped in the middle of a job: it lets go of the job's lease, and a live
    worker runs it again (``reclaim_lapsed_jobs``) rather than it running for ever."""
    if task.name == "run_job":
        services.mark_interrupted(task.args[0])
        db.session.commit()


class QueuePaused(PortalError):
    """The queue (Redis) did not take the job: it is marked failed, and the user is told
    that background work is paused."""


PAUSED = _l(
    "Baggrundsarbejdet er sat på pause lige nu, så filen blev ikke startet. Prøv igen om lidt."
)


def enqueue(job: Job) -> None:
    """Hand a committed job to the worker (at once, in immediate mode). When the queue does
    not answer, the job is marked failed and committed (no record waits "queued" for
    ever) and ``QueuePaused`` is raised for the page to say so."""
    try:
        run_job(job.id)
    except (RedisError, OSError) as error:
        log.warning("job %s not queued, the queue does not answer: %s", job.id, error)
        db.session.rollback()
        job = db.session.get(Job, job.id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, "queue unavailable", utcnow()
        db.session.commit()
        raise QueuePaused(str(PAUSED)) from None


@in_app_context
def reclaim_lapsed_jobs() -> None:
    """Jobs whose worker stopped (``leases``): queued again, or failed with a notice to
    their starter after the last attempt. Run by every worker's ``LeaseKeeper``."""
    again, failed = leases.reclaim_lapsed()
    for job_id in failed:
        services.notify_failed(job_id)
    db.session.commit()
    for job_id in again:
        run_job(job_id)


@huey.periodic_task(crontab(minute="15", hour="*"))
@in_app_context
def remove_expired_files() -> None:
    """The jobs past their time with their files, then whatever no job names any more (a
    stored report of an old data version, a file whose job's commit failed)."""
    services.remove_expired()
    db.session.commit()
    cutoff = utcnow() - timedelta(days=current_app.config["JOBS_KEEP_DAYS"])
    store = files.store()
    for prefix in ("reports/", "files/", "uploads/"):
        store.delete_older(prefix, cutoff)
    db.session.commit()


@huey.task()
@in_app_context
def prerender_reports() -> None:
    """Render the stored reports whose data changed, holding the ``prerender-reports`` lock
    (an expiring one, ``leases.periodic_lock``: a killed worker's blocks the next run for
    at most a lease); held by another, it tries again a little later."""
    from portal.reports.stored import prerender_all

    with leases.periodic_lock("prerender-reports") as held:
        if not held:  # what changed since that run began is looked at once it is over
            log.info("stored reports: another worker renders them; trying again shortly")
            prerender_reports.schedule(delay=PRERENDER_DELAY)
            return
        started = time.monotonic()
        made = prerender_all()
        db.session.commit()
    log.info(
        "%d stored reports rendered in %.1f s (%s)", made, time.monotonic() - started, utcnow()
    )


@huey.periodic_task(crontab(minute="*/10"))
def prerender_reports_periodically() -> None:
    """A change the session events did not see (a script, another host's SQL) is caught."""
    prerender_reports()


# The figures of a round changed: render its reports again, shortly ----------------------

# What the stored reports show (``reports.stored.round_data_version``) changes by the house's
# signals: the figures and the municipalities' own words (``portal.signals.figures_changed``,
# also for a round's parameters and a programme's formulas), new participations and moves
# between communities (``participations.signals``). Each marks the session; the commit
# schedules the rendering.
_FLAG = "jobs_figures_changed"


def _mark(_sender, **_changes) -> None:
    db.session.info[_FLAG] = True


def _after_commit(session) -> None:
    if session.info.pop(_FLAG, False):
        try:
            prerender_reports.schedule(delay=PRERENDER_DELAY)
        except Exception:  # noqa: BLE001 - the figures are saved; the periodic run catches up
            log.exception("the stored reports could not be scheduled for rendering")


def _after_soft_rollback(session, _previous) -> None:
    session.info.pop(_FLAG, None)


def watch_figures() -> None:
    """Schedule the re-rendering after every commit that changed a round's figures."""
    from sqlalchemy import event

    from portal.participations.signals import memberships_changed, participations_created
    from portal.signals import figures_changed

    for signal in (figures_changed, participations_created, memberships_changed):
        signal.connect(_mark)
    for name, func in (
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(db.session, name, func):
            event.listen(db.session, name, func)
