"""Small factories for tests: a programme and rounds without going through the file loader."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from portal.db import db, utcnow
from portal.programmes.models import Programme, Round, RoundStatus

_seq = count(1)


def create_programme(slug: str | None = None, **fields) -> Programme:
    n = next(_seq)
    programme = Programme(
        slug=slug or f"indsats-{n}",
        name_da=fields.pop("name_da", f"Indsats {n}"),
        name_en=fields.pop("name_en", f"Programme {n}"),
        **fields,
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def create_round(programme: Programme, *, open_now: bool = True, **fields) -> Round:
    n = next(_seq)
    now = utcnow()
    defaults = dict(
        slug=f"{programme.slug}-runde-{n}",
        name_da=f"Runde {n}",
        name_en=f"Round {n}",
        opens_at=now - timedelta(days=10) if open_now else now + timedelta(days=10),
        deadline_at=now + timedelta(days=20) if open_now else now + timedelta(days=40),
        period_start=date.today() + timedelta(days=60),
        period_end=date.today() + timedelta(days=600),
        lead_grant=900_000,
        participant_grant=100_000,
        participant_pool=None,
        community_min=5,
        community_max=10,
        parameters={"annual_cost": "450000", "annual_hours": "1924"},
        status=RoundStatus.OPEN,
    )
    defaults.update(fields)
    round_ = Round(programme=programme, **defaults)
    db.session.add(round_)
    db.session.flush()
    return round_


def create_application(
    round_: Round,
    municipality_id: int,
    *,
    role: str = "participant",
    status: str = "submitted",
    members: list[int] = (),
    confirmed: bool = True,
    **fields,
):
    """An application as the municipality would have filled it in (complete, with the
    required backing), in ``status``; ``members`` are co-applicant municipality ids."""
    from portal.applications.models import (
        ApplicantRole,
        Application,
        ApplicationMember,
        ApplicationStatus,
        Experience,
    )

    values = dict(
        round=round_,
        municipality_id=municipality_id,
        role=ApplicantRole(role),
        status=ApplicationStatus(status),
        experience=Experience.SOME,
        competence_statement="Vi har udbredt teknologien i hele hjemmeplejen."
        if role == "lead"
        else "",
        capacity_statement="Et fast implementeringsteam på fire personer."
        if role == "lead"
        else "",
        motivation="Vi vil frigøre tid i hjemmeplejen.",
        project_lead_name="Pia Projektleder",
        project_lead_email="pia@kommune.dk",
        project_owner_name="Carsten Chef",
        project_owner_title="Ældrechef",
        backing_board=True,
        backing_management=True,
        backing_political=False,
        submitted_at=utcnow() if status != "draft" else None,
    )
    values.update(fields)
    application = Application(**values)
    application.goals = list(round_.programme.goals[:1])
    for member_id in members:
        application.members.append(
            ApplicationMember(
                municipality_id=member_id, confirmed_at=utcnow() if confirmed else None
            )
        )
    db.session.add(application)
    db.session.flush()
    return application
