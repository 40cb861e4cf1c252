"""Who may see which dashboard.

A municipality's municipal and leadership users see their own participations' dashboards
and their own communities' views; another municipality's participation or community answers
404. The national view of a round is for national users (coordinators, admins, national
leadership): 403 for everyone else. Reviewers have no dashboards (403).
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.db import db, valid_id
from portal.participations.models import Community, Participation
from portal.programmes.models import Round

# Admins run users and the register; the figures are not theirs to read.
READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR)


def can_view_dashboards(user: User) -> bool:
    return has_role(user, *READERS)


def can_view_round_dashboard(user: User) -> bool:
    return has_role(user, *READERS) and user.is_national


def is_member_of(user: User, community_id: int) -> bool:
    """Whether the user's municipality takes part in the community: one query."""
    if user.municipality_id is None:
        return False
    return db.session.scalar(
        select(
            exists().where(
                Participation.community_id == community_id,
                Participation.municipality_id == user.municipality_id,
            )
        )
    )


def get_community_or_404(ident, user: User) -> Community:
    """The community, when the user is national or their municipality is a member; 404
    otherwise (an id of another municipality's community reveals nothing)."""
    if not valid_id(ident):
        abort(404)
    community = db.session.scalar(
        select(Community)
        .options(joinedload(Community.round).joinedload(Round.programme))
        .where(Community.id == ident)
    )
    if community is None:
        abort(404)
    if not (can_view_round_dashboard(user) or is_member_of(user, community.id)):
        abort(404)
    return community


TEMPLATE_PERMISSIONS = {
    "can_view_dashboards": can_view_dashboards,
    "can_view_round_dashboard": can_view_round_dashboard,
}


def get_participation_or_404(ident, user: User) -> Participation:
    """``participations.permissions.get_participation_or_404`` with what a dashboard reads
    (round, programme, municipality, community) joined in the same query."""
    from portal.participations.services import scope_participations

    if not valid_id(ident):
        abort(404)
    stmt = scope_participations(
        select(Participation)
        .options(
            joinedload(Participation.round).joinedload(Round.programme),
            joinedload(Participation.municipality),
            joinedload(Participation.community),
        )
        .where(Participation.id == ident),
        user,
    )
    return db.session.scalar(stmt) or abort(404)
