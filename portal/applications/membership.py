"""A joint application's co-applicants answering: each confirms the application as it reads
now, or declines and leaves it. Services flush; the caller commits."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import access
from portal.applications.models import (
    Application,
    ApplicationMember,
    ApplicationStatus,
)
from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import NotAllowed
from portal.links import path_for
from portal.notifications.services import notify
from portal.notifications.texts import round_names


def confirm_membership(application: Application, municipality_id: int, *, actor) -> None:
    """A co-applicant confirms the joint application as it reads now."""
    member = _open_member(application, municipality_id, actor)
    if member.confirmed_at is not None:
        return
    member.confirmed_at = utcnow()
    member.confirmed_by_id = getattr(actor, "id", None)
    _joint_step(application, member, "joint_application_confirmed", "joint_confirmed", actor)


def decline_membership(application: Application, municipality_id: int, *, actor) -> None:
    """A co-applicant declines: it leaves the application, which the applicant can then
    submit without it."""
    member = _open_member(application, municipality_id, actor)
    _ = member.municipality  # loaded while the row still belongs to the application
    application.members.remove(member)
    application.updated_at = utcnow()  # a versioned change the applicant's form will notice
    _joint_step(application, member, "joint_application_declined", "joint_declined", actor)


def _open_member(application: Application, municipality_id: int | None, actor) -> ApplicationMember:
    """The co-applicant row of ``municipality_id`` while the application is a draft; a user
    answers only for a municipality the gate lets them change (the command line, no user,
    for any)."""
    member = next((m for m in application.members if m.municipality_id == municipality_id), None)
    if member is None or (actor is not None and not access.allows(actor, member, "change")):
        raise NotAllowed(_l("Jeres kommune er ikke medansøger på denne ansøgning."))
    if application.status != ApplicationStatus.DRAFT:
        raise NotAllowed(_l("Ansøgningen er ikke længere en kladde."))
    return member


def _joint_step(application, member: ApplicationMember, action: str, kind: str, actor) -> None:
    """Audit a co-applicant's answer and tell the applicant."""
    db.session.flush()
    audit.record(
        action,
        actor=actor,
        obj=application,
        municipality_id=member.municipality_id,
        round_id=application.round_id,
        application_id=application.id,
    )
    notify(
        [application.municipality_id],
        kind,
        {**round_names(application.round), "municipality": member.municipality.name},
        link=path_for("applications.detail", application_id=application.id),
    )
