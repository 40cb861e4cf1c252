"""Who reads a job: only the user who started it, and only while they may still read the
report it makes (a changed role or municipality loses it). Anything else answers 404, so
another municipality's job is not even confirmed to exist."""

from __future__ import annotations

from flask import abort

from portal.auth.models import User
from portal.db import db, valid_id
from portal.jobs.models import Job
from portal.jobs.services import job_scope, may_start


def can_read_job(user: User, job: Job) -> bool:
    return job.user_id == user.id and may_start(user, job.kind, job_scope(job))


def get_job_or_404(ident, user: User) -> Job:
    job = db.session.get(Job, ident) if valid_id(ident) else None
    if job is None or not can_read_job(user, job):
        abort(404)
    return job
