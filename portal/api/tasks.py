"""The API's periodic work, registered with the worker (``portal.jobs.queue``): answers kept
for an ``Idempotency-Key`` are let go after ``JOBS_KEEP_DAYS`` (a retry comes within
minutes; a key is not a record), daily."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from huey import crontab
from sqlalchemy import delete

from portal.api.models import IdempotentAnswer
from portal.db import db, utcnow
from portal.jobs.queue import huey, in_app_context


def forget_old_answers(now=None) -> int:
    """Delete the kept answers older than ``JOBS_KEEP_DAYS``; how many."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config.get("JOBS_KEEP_DAYS", 7))
    result = db.session.execute(
        delete(IdempotentAnswer).where(IdempotentAnswer.created_at < cutoff)
    )
    return result.rowcount or 0


@huey.periodic_task(crontab(minute="17", hour="3"))
@in_app_context
def forget_idempotent_answers() -> None:
    forget_old_answers()
    db.session.commit()
