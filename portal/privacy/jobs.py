"""A person's data handed over or erased as jobs (``portal.jobs``): both search every text
column of every table, seconds at national scale — never inside a request. Only admins start
them (and read them: a job is its starter's)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import access
from portal.auth.models import User
from portal.db import db
from portal.errors import NotAllowed
from portal.jobs.models import Job, JobKind
from portal.jobs.services import Made, Progress, register_job, start_job, starter
from portal.privacy.erasure import erase_person, is_erased
from portal.privacy.export import person_zip
from portal.reports.scope import ReportScope

NO_PERSON = _l("Personen findes ikke.")


def _person(job: Job) -> User:
    person = db.session.get(User, job.params.get("person") or 0)
    if person is None:
        raise NotAllowed(NO_PERSON)
    return person


def export_job(job: Job, _scope: ReportScope, progress: Progress) -> Made:
    person = _person(job)
    return Made(person_zip(person, progress), f"persondata-{person.id}.zip", "application/zip")


def erasure_job(job: Job, _scope: ReportScope, progress: Progress) -> None:
    person = _person(job)
    if not is_erased(person):  # a job run again after its worker died: done already
        erase_person(person, actor=starter(job), reason="request", on_table=progress)


def _may_keep_users(user: User, _scope: ReportScope) -> bool:
    """Whoever the gate lets change users (the admins) answers for their personal data."""
    return access.can(user, User, "change")


register_job(JobKind.PERSON_EXPORT, export_job, may_start=_may_keep_users)
register_job(JobKind.PERSON_ERASURE, erasure_job, may_start=_may_keep_users)


def start_person_job(kind: JobKind, person: User, *, actor: User, locale: str) -> Job:
    """Flushes; the view commits and hands the job to the queue."""
    if kind == JobKind.PERSON_ERASURE and actor.id == person.id:
        raise NotAllowed(_l("Du kan ikke slette dine egne persondata."))
    return start_job(kind, ReportScope(), actor=actor, locale=locale, params={"person": person.id})
