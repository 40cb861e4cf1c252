"""Who may see and change an application.

An application concerns its applicant and its co-applicants: users of any of them see it
(co-applicants must, to confirm it); national users see every application; a reviewer sees
the ones assigned to them (``portal.review``). Everything else answers 404.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, false, or_, select

from portal.applications.models import (
    REOPENABLE,
    WITHDRAWABLE,
    Application,
    ApplicationMember,
    ApplicationStatus,
)
from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.db import db, valid_id


def _member_of(municipality_id: int):
    return exists().where(
        ApplicationMember.application_id == Application.id,
        ApplicationMember.municipality_id == municipality_id,
    )


def scope_applications(stmt: Select, user: User) -> Select:
    """Restrict a select of ``Application`` to what ``user`` may see (not reviewers: their
    view is the assignments in ``portal.review``)."""
    if user.is_national:
        return stmt
    if user.municipality_id is None or user.role == Role.REVIEWER:
        return stmt.where(false())
    mine = user.municipality_id
    return stmt.where(or_(Application.municipality_id == mine, _member_of(mine)))


def get_application_or_404(ident, user: User) -> Application:
    from flask import abort

    if not valid_id(ident):
        abort(404)
    stmt = scope_applications(select(Application).where(Application.id == ident), user)
    return db.session.scalar(stmt) or abort(404)


def is_own(user: User, application: Application) -> bool:
    """The user works for the applicant municipality (not a co-applicant)."""
    return has_role(user, Role.MUNICIPAL) and user.municipality_id == application.municipality_id


def can_edit_application(user: User, application: Application) -> bool:
    return is_own(user, application) and application.status == ApplicationStatus.DRAFT


def can_confirm_membership(user: User, application: Application) -> bool:
    return has_role(user, Role.MUNICIPAL) and any(
        m.municipality_id == user.municipality_id and m.confirmed_at is None
        for m in application.members
    )


def can_withdraw(user: User, application: Application) -> bool:
    return is_own(user, application) and application.status in WITHDRAWABLE


def can_decline_membership(user: User, application: Application) -> bool:
    """A co-applicant may leave a draft, confirmed or not."""
    return (
        has_role(user, Role.MUNICIPAL)
        and application.status == ApplicationStatus.DRAFT
        and any(m.municipality_id == user.municipality_id for m in application.members)
    )


def can_reopen(user: User, application: Application) -> bool:
    return can_manage_applications(user) and application.status in REOPENABLE


def can_manage_applications(user: User) -> bool:
    """Coordinators: review overview, decisions, reopening, deadline extensions."""
    return has_role(user, Role.COORDINATOR)
