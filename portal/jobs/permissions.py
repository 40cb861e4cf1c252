"""Who reads a job: only the user who started it (``portal.access``), and only while they
may still read the report it makes (a changed role or municipality loses it). Anything else
answers 404, so another municipality's job is not even confirmed to exist."""

from __future__ import annotations

from flask import abort

from portal import access
from portal.auth.models import User
from portal.jobs.models import Job
from portal.jobs.services import job_scope, may_start


def get_job_or_404(ident, user: User) -> Job:
    job = access.get_visible_or_404(Job, ident, user)
    if not may_start(user, job.kind, job_scope(job)):
        abort(404)
    return job
