"""The periodic work that needed cron lines, and the clean-up of old files."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db, utcnow
from portal.jobs import services, tasks
from portal.jobs.models import Job, JobKind
from portal.notifications.models import OutboxMessage
from portal.reports.scope import ReportScope


def runs_at(task, hour: int, minute: int) -> bool:
    """Whether the consumer's scheduler starts ``task`` at that minute (huey's UTC clock)."""
    return task.task_class().validate_datetime(datetime(2026, 12, 1, hour, minute))


def test_the_periodic_tasks_replace_the_cron_lines():
    assert runs_at(tasks.deliver_outbox, 0, 0) and runs_at(tasks.deliver_outbox, 13, 47)
    assert runs_at(tasks.send_reporting_reminders, 7, 0)
    assert not runs_at(tasks.send_reporting_reminders, 8, 0)
    assert runs_at(tasks.remove_expired_files, 3, 15)
    assert not runs_at(tasks.remove_expired_files, 3, 16)
    assert runs_at(tasks.prerender_reports_periodically, 3, 20)


def test_the_outbox_task_delivers_what_waits(caplog):
    db.session.add(OutboxMessage(to_address="a@example.dk", subject="Hej", body="Tekst"))
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        tasks.deliver_outbox()  # no SMTP_HOST under test: written to the log
    assert "a@example.dk" in caplog.text


def test_expired_jobs_go_with_their_files(make_user, funding_round, tmp_path):
    user = make_user(Role.COORDINATOR)
    old, fresh = (
        services.start_job(JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user)
        for _ in range(2)
    )
    for job in (old, fresh):
        job.file_path = str(tmp_path / f"{job.id}.pdf")
        (tmp_path / f"{job.id}.pdf").write_bytes(b"%PDF")
    old.expires_at = utcnow() - timedelta(minutes=1)
    assert fresh.expires_at > utcnow() + timedelta(days=6, hours=23)  # kept a week
    db.session.commit()
    tasks.remove_expired_files()
    assert db.session.scalars(select(Job.id)).all() == [fresh.id]
    assert not (tmp_path / f"{old.id}.pdf").exists() and (tmp_path / f"{fresh.id}.pdf").exists()


def test_a_job_cut_off_by_a_stopping_worker_says_it_failed(make_user, funding_round):
    from types import SimpleNamespace

    user = make_user(Role.COORDINATOR)
    job = services.start_job(
        JobKind.FUNDING_PDF, ReportScope(round=funding_round.round), actor=user
    )
    db.session.commit()
    tasks._interrupted(None, SimpleNamespace(name="run_job", args=(job.id,)))
    assert job.status.value == "failed" and job.error == "interrupted"
