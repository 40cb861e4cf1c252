"""Communities (*fællesskaber*): one scaling lead and the participants it drives, within the
round's size limits (``community_min``..``community_max`` participants, the lead not counted).

The maximum and the one lead are enforced whenever a member is added; a community under the
minimum is shown as such, not refused (it may still be filling up). Every change of
membership is audited with before and after, and a placement tells the municipality.
Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.applications.models import ApplicantRole
from portal.audit import services as audit
from portal.db import db
from portal.errors import InvalidInput, NotAllowed, check_version
from portal.notifications.services import notify
from portal.notifications.texts import round_names
from portal.participations.models import Community, Participation
from portal.participations.signals import memberships_changed
from portal.programmes.models import Round

MAX_NAME = 150
MY_PARTICIPATIONS_LINK = "/deltagere/mine"


def is_lead(participation: Participation) -> bool:
    return participation.role == ApplicantRole.LEAD


def lead_of(community: Community) -> Participation | None:
    return next((p for p in community.participations if is_lead(p)), None)


def participants_of(community: Community) -> list[Participation]:
    return [p for p in community.participations if not is_lead(p)]


def _check_name(round_: Round, name: str, *, existing: Community | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_l("Giv fællesskabet et navn."), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_l("Navnet må højst være %(max)d tegn.", max=MAX_NAME), field="name")
    taken = db.session.scalars(select(Community).where(Community.round_id == round_.id)).all()
    if any(c.name.casefold() == name.casefold() and c is not existing for c in taken):
        raise InvalidInput(
            _l("Der er allerede et fællesskab med navnet %(name)s i forløbet.", name=name),
            field="name",
        )
    return name


def create_community(
    round_: Round, name: str, *, actor, lead: Participation | None = None
) -> Community:
    """A new community in the round (its name unique there), with its lead when given."""
    name = _check_name(round_, name)
    if lead is not None and (lead.round_id != round_.id or not is_lead(lead)):
        raise InvalidInput(_l("Vælg en godkendt skaleringsleder i forløbet."), field="lead")
    community = Community(round=round_, name=name)
    db.session.add(community)
    db.session.flush()
    audit.record("community_created", actor=actor, obj=community, round_id=round_.id, name=name)
    if lead is not None:
        assign(lead, community, actor=actor)
    return community


def delete_community(community: Community, *, actor, version: int | None = None) -> None:
    """Delete a community; its members are left unassigned (each change audited)."""
    check_version(community, version, _l("Fællesskabet"))
    for participation in list(community.participations):
        assign(participation, None, actor=actor)
    audit.record(
        "community_deleted",
        actor=actor,
        obj=community,
        round_id=community.round_id,
        name=community.name,
    )
    db.session.delete(community)
    db.session.flush()


def check_room(participation: Participation, community: Community) -> None:
    """The rules for adding ``participation`` to ``community``: one lead, at most
    ``community_max`` participants."""
    others = [p for p in community.participations if p is not participation]
    if is_lead(participation):
        lead = next((p for p in others if is_lead(p)), None)
        if lead is not None:
            raise NotAllowed(
                _l(
                    "%(community)s har allerede en skaleringsleder (%(lead)s). Et fællesskab"
                    " har én skaleringsleder.",
                    community=community.name,
                    lead=lead.municipality.name,
                ),
                field="community",
            )
        return
    limit = community.round.community_max
    count = sum(1 for p in others if not is_lead(p))
    if count >= limit:
        raise NotAllowed(
            _l(
                "%(community)s er fuldt: der er allerede %(count)d deltagerkommuner, og"
                " forløbet tillader højst %(max)d pr. fællesskab (skaleringslederen tælles"
                " ikke med).",
                community=community.name,
                count=count,
                max=limit,
            ),
            field="community",
        )


def assign(
    participation: Participation,
    community: Community | None,
    *,
    actor,
    version: int | None = None,
) -> bool:
    """Move a participation into ``community`` (or out of any, with ``None``). Refused for a
    second lead and past the round's maximum. Returns whether anything changed."""
    check_version(participation, version, _l("Deltagelsen"))
    if community is not None and community.round_id != participation.round_id:
        raise NotAllowed(_l("Fællesskabet hører til et andet forløb."), field="community")
    if participation.community is community:
        return False
    if community is not None:
        check_room(participation, community)
    before = participation.community
    participation.community = community
    db.session.flush()
    audit.record(
        "community_membership_changed",
        actor=actor,
        obj=participation,
        **audit.of_participation(participation),
        changes={
            "community": [before.name if before else None, community.name if community else None],
            "community_id": [before.id if before else None, community.id if community else None],
        },
    )
    memberships_changed.send(participation.round, participations=[participation])
    if community is not None:
        notify(
            [participation.municipality_id],
            "community_placed",
            {**round_names(participation.round), "community": community.name},
            link=MY_PARTICIPATIONS_LINK,
        )
    return True


@dataclass
class CommunityView:
    community: Community
    lead: Participation | None
    members: list[Participation]  # the participants, by name
    minimum: int
    maximum: int

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def under_minimum(self) -> bool:
        return self.size < self.minimum

    @property
    def full(self) -> bool:
        return self.size >= self.maximum


@dataclass
class CommunitiesOverview:
    round: Round
    communities: list[CommunityView]
    unassigned: list[Participation]  # leads first, then participants, by name

    @property
    def unassigned_leads(self) -> list[Participation]:
        return [p for p in self.unassigned if is_lead(p)]

    @property
    def unassigned_participants(self) -> list[Participation]:
        return [p for p in self.unassigned if not is_lead(p)]


def _by_name(participations) -> list[Participation]:
    return sorted(participations, key=lambda p: (not is_lead(p), p.municipality.name))


def round_communities(round_: Round) -> list[Community]:
    return list(
        db.session.scalars(
            select(Community)
            .options(selectinload(Community.participations).joinedload(Participation.municipality))
            .where(Community.round_id == round_.id)
            .order_by(Community.name)
        )
    )


def unassigned_participations(round_: Round) -> list[Participation]:
    return _by_name(
        db.session.scalars(
            select(Participation)
            .options(joinedload(Participation.municipality))
            .where(Participation.round_id == round_.id, Participation.community_id.is_(None))
        )
    )


def overview(round_: Round) -> CommunitiesOverview:
    """The round's communities with lead, members and size, and who is not placed yet:
    three queries, whatever the number of communities."""
    views = [
        CommunityView(
            community=c,
            lead=lead_of(c),
            members=_by_name(participants_of(c)),
            minimum=round_.community_min,
            maximum=round_.community_max,
        )
        for c in round_communities(round_)
    ]
    return CommunitiesOverview(round_, views, unassigned_participations(round_))
