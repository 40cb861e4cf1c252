"""Finding the applications a municipality is part of, as applicant or co-applicant."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.applications.models import Application, ApplicationMember
from portal.db import db
from portal.programmes.models import Round


def application_in_round(round_id: int, municipality_id: int) -> Application | None:
    """The application a municipality is part of in a round, as applicant or co-applicant."""
    member_of = select(ApplicationMember.application_id).where(
        ApplicationMember.municipality_id == municipality_id
    )
    return db.session.scalar(
        select(Application)
        .where(
            Application.round_id == round_id,
            or_(Application.municipality_id == municipality_id, Application.id.in_(member_of)),
        )
        .limit(1)
    )


def applications_of_municipality(municipality_id: int) -> list[Application]:
    """Every application the municipality is part of, newest round first."""
    member_of = select(ApplicationMember.application_id).where(
        ApplicationMember.municipality_id == municipality_id
    )
    return list(
        db.session.scalars(
            select(Application)
            .options(
                selectinload(Application.round).joinedload(Round.programme),
                selectinload(Application.municipality),
                selectinload(Application.members).joinedload(ApplicationMember.municipality),
            )
            .where(
                or_(Application.municipality_id == municipality_id, Application.id.in_(member_of))
            )
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )
