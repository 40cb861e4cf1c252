"""Fixtures shared by the participation tests: rounds, approved applications, imported rows."""

from __future__ import annotations

from portal.applications.models import ApplicantRole, ApplicationStatus
from portal.models import Participation
from portal.participations import services
from portal.participations.grants import recompute_grants
from portal.participations.models import ParticipationSource
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round

# Ten municipalities of Region Hovedstaden in the shipped register (101 København first).
CODES = [101, 147, 151, 153, 157, 159, 161, 163, 165, 167]


def mid(code: int) -> int:
    return municipality(code).id


def pool_round(pool: int = 2_000_000, **fields):
    return create_round(create_programme(), participant_grant=None, participant_pool=pool, **fields)


def fixed_round(amount: int = 100_000, **fields):
    return create_round(create_programme(), participant_grant=amount, **fields)


def approve(round_, code: int, *, role="participant", members=(), actor=None, **fields):
    """An application approved through the service the review's decide() calls."""
    application = create_application(
        round_, mid(code), role=role, members=[mid(c) for c in members], **fields
    )
    application.status = ApplicationStatus.APPROVED
    services.create_for_application(application, actor=actor)
    return application


def participation(round_, code: int, *, role="participant", community=None, **fields):
    """A participation as the import would register it (no application)."""
    p = Participation(
        round=round_,
        municipality_id=mid(code),
        role=ApplicantRole(role),
        source=ParticipationSource.IMPORT,
        community=community,
        **fields,
    )
    from portal.db import db

    db.session.add(p)
    db.session.flush()
    recompute_grants(round_, actor=None)
    return p
