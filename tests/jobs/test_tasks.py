"""The periodic work that needed cron lines, and the clean-up of old files."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from portal import files
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.jobs import services, tasks
from portal.jobs.models import Job, JobKind, JobStatus
from portal.notifications import tasks as outbox_tasks
from portal.notifications.models import OutboxMessage
from portal.reporting import tasks as reporting_tasks
from portal.reports.scope import ReportScope


def runs_at(task, hour: int, minute: int) -> bool:
    """Whether the consumer's scheduler starts ``task`` at that minute (huey's UTC clock)."""
    return task.task_class().validate_datetime(datetime(2026, 12, 1, hour, minute))


def test_the_periodic_tasks_replace_the_cron_lines():
    assert runs_at(outbox_tasks.deliver_outbox, 0, 0) and runs_at(
        outbox_tasks.deliver_outbox, 13, 47
    )
    assert runs_at(reporting_tasks.send_reporting_reminders, 7, 0)
    assert not runs_at(reporting_tasks.send_reporting_reminders, 8, 0)
    assert runs_at(tasks.remove_expired_files, 3, 15)
    assert not runs_at(tasks.remove_expired_files, 3, 16)
    assert runs_at(tasks.prerender_reports_periodically, 3, 20)


def test_the_outbox_task_delivers_what_waits(caplog):
    db.session.add(OutboxMessage(to_address="a@example.dk", subject="Hej", body="Tekst"))
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        outbox_tasks.deliver_outbox()  # no SMTP_HOST under test: written to the log
    assert "a@example.dk" in caplog.text


def test_expired_jobs_go_with_their_files(make_user, funding_round):
    user = make_user(Role.COORDINATOR)
    store = files.store()
    old, fresh = (
        services.start_job(JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user)
        for _ in range(2)
    )
    for job in (old, fresh):
        job.file_path = f"files/{job.id}.pdf"
        store.put(job.file_path, b"%PDF")
    old.expires_at = utcnow() - timedelta(minutes=1)
    assert fresh.expires_at > utcnow() + timedelta(days=6, hours=23)  # kept a week
    db.session.commit()
    tasks.remove_expired_files()
    assert db.session.scalars(select(Job.id)).all() == [fresh.id]
    assert not store.exists(old.file_path) and files.read(fresh.file_path) == b"%PDF"


def test_a_job_cut_off_by_a_stopping_worker_is_taken_over(make_user, funding_round):
    """A stopping worker lets go of the job's lease at once; the next look for lapsed
    leases queues it again (and in immediate mode runs it at once)."""
    from types import SimpleNamespace

    from portal.jobs import leases

    user = make_user(Role.COORDINATOR)
    job = services.start_job(
        JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user
    )
    db.session.commit()
    assert leases.claim(job.id, "killed-worker")
    db.session.commit()
    tasks._interrupted(None, SimpleNamespace(name="run_job", args=(job.id,)))
    tasks.reclaim_lapsed_jobs()
    db.session.refresh(job)
    assert job.status == JobStatus.DONE and job.attempts == 2, job.error


def test_a_job_whose_worker_stopped_too_often_fails_with_a_notice(make_user, funding_round):
    from portal.jobs import leases
    from portal.notifications.models import Notification

    user = make_user(Role.COORDINATOR)
    job = services.start_job(
        JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user
    )
    job.attempts = 2  # two runs were cut off before
    db.session.commit()
    assert leases.claim(job.id, "killed-worker")
    db.session.commit()
    later = utcnow() + timedelta(seconds=31)  # past the lease (JOBS_LEASE_SECONDS=30)
    again, failed = leases.reclaim_lapsed(now=later)
    assert (again, failed) == ([], [job.id])
    services.notify_failed(job.id)
    db.session.refresh(job)
    assert job.status == JobStatus.FAILED and job.error == leases.INTERRUPTED
    notice = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert notice.kind == "job_failed" and notice.link == f"/filer/{job.id}"


def test_a_live_lease_is_not_taken_over(make_user, funding_round):
    from portal.jobs import leases

    user = make_user(Role.COORDINATOR)
    job = services.start_job(
        JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user
    )
    db.session.commit()
    assert leases.claim(job.id, "live-worker")
    assert not leases.claim(job.id, "another-worker")  # taken once only
    assert leases.reclaim_lapsed(now=utcnow() + timedelta(seconds=20)) == ([], [])
