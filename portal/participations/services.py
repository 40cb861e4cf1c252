"""Participations: created on approval (or import), taken back with the approval, and read
for the pages. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal import access
from portal.applications.models import ApplicantRole, Application
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import db
from portal.errors import NotAllowed
from portal.i18n import money
from portal.participations.grants import recompute_grants
from portal.participations.models import (
    Community,
    Disbursement,
    Participation,
    ParticipationSource,
)
from portal.participations.signals import participations_created
from portal.programmes.models import Round, RoundStatus


def snapshot(participation: Participation) -> dict:
    return {
        "municipality_id": participation.municipality_id,
        "role": participation.role.value,
        "source": participation.source.value,
        "community": participation.community.name if participation.community else None,
        "grant": participation.grant,
    }


def _audit_participation(action: str, participation: Participation, *, actor, **details) -> None:
    audit.record(
        action,
        actor=actor,
        obj=participation,
        **audit.of_participation(participation),
        **details,
    )


def create_for_application(application: Application, *, actor) -> list[Participation]:
    """Approval: a participation for the applicant (in the application's role) and for each
    confirmed co-applicant (as participant), then the round's grants recomputed.

    Refused (``NotAllowed``) without the required leadership backing: no grant without it.
    A municipality that already participates in the round keeps its one participation.
    Returns the application's participations, new and kept."""
    if not application.has_required_backing:
        raise NotAllowed(
            _l(
                "Ansøgningen kan ikke godkendes: der gives ikke tilskud uden den krævede"
                " ledelsesmæssige opbakning (i direktionen og på chefniveau)."
            )
        )
    wanted = [(application.municipality_id, application.role)] + [
        (m.municipality_id, ApplicantRole.PARTICIPANT)
        for m in application.members
        if m.confirmed_at is not None
    ]
    existing = {
        p.municipality_id: p
        for p in db.session.scalars(
            select(Participation).where(
                Participation.round_id == application.round_id,
                access.belonging_to(Participation, [m for m, _role in wanted]),
            )
        )
    }
    result = []
    for municipality_id, role in wanted:
        if any(p.municipality_id == municipality_id for p in result):
            continue
        participation = existing.get(municipality_id)
        if participation is None:
            participation = Participation(
                round_id=application.round_id,
                municipality_id=municipality_id,
                application_id=application.id,
                role=role,
                source=ParticipationSource.APPLICATION,
            )
            db.session.add(participation)
            db.session.flush()
            existing[municipality_id] = participation
            _audit_participation(
                "participation_created", participation, actor=actor, after=snapshot(participation)
            )
        result.append(participation)
    recompute_grants(application.round, actor=actor)
    participations_created.send(application.round, participations=result)
    return result


def remove_for_application(application: Application, *, actor) -> None:
    """An approval taken back (wait-list or reject after approval): its participations go,
    and the grants are recomputed. Refused when a disbursement is already recorded for one
    of them (the money must be settled first)."""
    participations = list(
        db.session.scalars(
            select(Participation)
            .options(joinedload(Participation.municipality), joinedload(Participation.community))
            .where(Participation.application_id == application.id)
            .order_by(Participation.id)
        )
    )
    if not participations:
        return
    paid = dict(
        db.session.execute(
            select(Disbursement.participation_id, func.sum(Disbursement.amount))
            .where(Disbursement.participation_id.in_([p.id for p in participations]))
            .group_by(Disbursement.participation_id)
        ).all()
    )
    settled = [p for p in participations if paid.get(p.id)]
    if settled:
        raise NotAllowed(
            _l(
                "Godkendelsen kan ikke trækkes tilbage: der er allerede udbetalt tilskud til"
                " %(names)s. Slet udbetalingerne først, hvis de er registreret ved en fejl.",
                names=", ".join(f"{p.municipality.name} ({money(paid[p.id])})" for p in settled),
            )
        )
    for participation in participations:
        _audit_participation(
            "participation_removed", participation, actor=actor, before=snapshot(participation)
        )
        db.session.delete(participation)
    db.session.flush()
    recompute_grants(application.round, actor=actor)


def participations_of_round(round_: Round) -> list[Participation]:
    return list(
        db.session.scalars(
            select(Participation)
            .options(joinedload(Participation.municipality))
            .where(Participation.round_id == round_.id)
            .order_by(Participation.id)
        )
    )


@dataclass
class RoundParticipation:
    """A round's participations as its overview page lists them."""

    round: Round
    leads: int
    participants: int
    communities: int
    unassigned: int


def rounds_overview(include_drafts: bool) -> list[RoundParticipation]:
    """Every round with its number of leads, participants, communities and unassigned
    participations: three queries, whatever the number of rounds."""
    stmt = select(Round).options(joinedload(Round.programme)).order_by(Round.period_start.desc())
    if not include_drafts:
        stmt = stmt.where(Round.status != RoundStatus.DRAFT)
    rounds = list(db.session.scalars(stmt))
    counts: dict[tuple[int, str], int] = {}
    for round_id, role, assigned, n in db.session.execute(
        select(
            Participation.round_id,
            Participation.role,
            Participation.community_id.is_not(None),
            func.count(),
        ).group_by(
            Participation.round_id, Participation.role, Participation.community_id.is_not(None)
        )
    ):
        counts[round_id, role.value] = counts.get((round_id, role.value), 0) + n
        if not assigned:
            counts[round_id, "unassigned"] = counts.get((round_id, "unassigned"), 0) + n
    communities = dict(
        db.session.execute(
            select(Community.round_id, func.count()).group_by(Community.round_id)
        ).all()
    )
    return [
        RoundParticipation(
            round=r,
            leads=counts.get((r.id, ApplicantRole.LEAD.value), 0),
            participants=counts.get((r.id, ApplicantRole.PARTICIPANT.value), 0),
            communities=communities.get(r.id, 0),
            unassigned=counts.get((r.id, "unassigned"), 0),
        )
        for r in rounds
    ]


def my_participations(user: User) -> list[Participation]:
    """The participations of the user's municipality, with round, community and the
    community's members loaded (never another municipality's grant: the page shows only
    names, roles and regions of the others)."""
    stmt = access.visible(
        select(Participation)
        .join(Round, Round.id == Participation.round_id)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community)
            .selectinload(Community.participations)
            .joinedload(Participation.municipality),
            selectinload(Participation.disbursements),
        )
        .order_by(Round.period_start.desc(), Participation.id),
        user,
    )
    return list(db.session.scalars(stmt).unique())


def community_members(participation: Participation) -> list[Participation]:
    """The participation's community, lead first, then the participants by name."""
    if participation.community is None:
        return []
    return sorted(
        participation.community.participations,
        key=lambda p: (p.role != ApplicantRole.LEAD, p.municipality.name),
    )
