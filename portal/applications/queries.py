"""Finding the applications a municipality is part of, as applicant or co-applicant."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import access
from portal.applications.models import Application, ApplicationMember
from portal.auth.models import User
from portal.db import db
from portal.programmes.models import Round


def application_in_round(round_id: int, municipality_id: int) -> Application | None:
    """The application a municipality is part of in a round, as applicant or co-applicant
    (the rule that a municipality applies once per round, whoever asks)."""
    return db.session.scalar(
        select(Application)
        .where(Application.round_id == round_id, access.involving(municipality_id))
        .limit(1)
    )


def applications_of(user: User) -> list[Application]:
    """Every application the user may read, newest round first (for a municipality's users:
    those their municipality is part of)."""
    return list(
        db.session.scalars(
            access.visible(
                select(Application)
                .options(
                    selectinload(Application.round).joinedload(Round.programme),
                    selectinload(Application.municipality),
                    selectinload(Application.members).joinedload(ApplicationMember.municipality),
                )
                .order_by(Application.created_at.desc(), Application.id.desc()),
                user,
            )
        )
    )
