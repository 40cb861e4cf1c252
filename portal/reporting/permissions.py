"""Who may read and deliver reporting items.

Reading follows the participation: a municipality's municipal and leadership users read their
own municipality's items, national users (coordinators, admins, national leadership) all; any
other item answers 404. Reviewers have no business here (403). Only the municipality's own
municipal users submit its reports; only coordinators reopen a submitted one and follow a
round's list of who is late.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, false, select
from sqlalchemy.orm import joinedload

from portal.auth.models import Role, User
from portal.auth.permissions import has_role, scope
from portal.db import db, valid_id
from portal.participations.models import Participation
from portal.reporting.models import ReportingRequirement

READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR, Role.ADMIN)


def scope_requirements(stmt: Select, user: User) -> Select:
    """Restrict a select of ``ReportingRequirement`` to what ``user`` may read."""
    if has_role(user, Role.REVIEWER):
        return stmt.where(false())
    return scope(stmt, user, ReportingRequirement.municipality_id)


def get_requirement_or_404(ident, user: User) -> ReportingRequirement:
    """The item with its participation, round and municipality, or 404 when it is missing
    or another municipality's."""
    if not valid_id(ident):
        abort(404)
    stmt = scope_requirements(
        select(ReportingRequirement)
        .options(
            joinedload(ReportingRequirement.participation).joinedload(Participation.round),
            joinedload(ReportingRequirement.participation).joinedload(Participation.municipality),
        )
        .where(ReportingRequirement.id == ident),
        user,
    )
    return db.session.scalar(stmt) or abort(404)


def can_submit_report(user: User, item: ReportingRequirement) -> bool:
    return (
        has_role(user, Role.MUNICIPAL)
        and user.municipality_id is not None
        and user.municipality_id == item.municipality_id
    )


def can_reopen_report(user: User) -> bool:
    return has_role(user, Role.COORDINATOR)


def can_follow_rounds(user: User) -> bool:
    """See every municipality's items of a round (the list of who is late)."""
    return has_role(user, *READERS) and user.is_national


def has_own_reports(user: User) -> bool:
    return has_role(user, Role.MUNICIPAL, Role.LEADERSHIP) and user.municipality_id is not None


def can_use_reporting(user: User) -> bool:
    """Show the "Rapportering" menu item."""
    return can_follow_rounds(user) or has_own_reports(user)


TEMPLATE_PERMISSIONS = {"can_use_reporting": can_use_reporting}
