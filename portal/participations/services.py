"""Participations and grants: created on approval (or import), the round's grant rule,
overrides and disbursements. Services flush; the caller commits."""

from __future__ import annotations

from sqlalchemy import select

from portal.applications.models import ApplicantRole, Application
from portal.db import db
from portal.participations.models import Participation


def create_for_application(application: Application, *, actor) -> list[Participation]:
    """Approval: a participation for the applicant (in the application's role) and for each
    confirmed co-applicant (as participant), then the round's grants recomputed. Refused
    (``NotAllowed``) without the required leadership backing.

    STUB: the participations work replaces this with the full rule (grants, audit)."""
    created = []
    wanted = [(application.municipality_id, application.role)] + [
        (m.municipality_id, ApplicantRole.PARTICIPANT)
        for m in application.members
        if m.confirmed_at is not None
    ]
    for municipality_id, role in wanted:
        existing = db.session.scalar(
            select(Participation).where(
                Participation.round_id == application.round_id,
                Participation.municipality_id == municipality_id,
            )
        )
        if existing is None:
            existing = Participation(
                round_id=application.round_id,
                municipality_id=municipality_id,
                application_id=application.id,
                role=role,
            )
            db.session.add(existing)
        created.append(existing)
    db.session.flush()
    return created


def remove_for_application(application: Application, *, actor) -> None:
    """An approval taken back (wait-list or reject after approval): its participations go,
    and the grants are recomputed; refused when a disbursement is already recorded.

    STUB: the participations work replaces this with the full rule."""
    for participation in db.session.scalars(
        select(Participation).where(Participation.application_id == application.id)
    ):
        db.session.delete(participation)
    db.session.flush()
