"""The reporting's periodic work, registered with the worker (``portal.jobs.queue``): the
reminders of due and overdue reports every morning (a cron line before)."""

from __future__ import annotations

from huey import crontab

from portal.db import db
from portal.jobs.queue import huey, in_app_context
from portal.reporting.reminders import send_reminders
from portal.reporting.schedule import ensure_all_schedules
from portal.reporting.services import local_today


@huey.periodic_task(crontab(minute="0", hour="7"))
@in_app_context
def send_reporting_reminders() -> None:
    """Copenhagen's morning (huey's crontab reads UTC): the schedules completed, then the
    reminders due today, as ``portal reporting remind`` does."""
    ensure_all_schedules()
    send_reminders(local_today())
    db.session.commit()
