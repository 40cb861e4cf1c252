"""Who reads which notices, who marks them read, and who sees the outbox.

A notice belongs to a municipality (the read mark too: one for the municipality, not per
user). Its municipal and leadership users read it and mark it read; coordinators and
national leadership read every municipality's notices but leave the read mark alone;
reviewers and admins have none. A personal notice (``user_id``) is its user's alone, to
read and mark. Out-of-scope ids answer 404.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, and_, or_, select

from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.db import db, valid_id
from portal.notifications.models import Notification

OUTBOX_READERS = (Role.COORDINATOR, Role.ADMIN)


def reads_all_notices(user: User) -> bool:
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.LEADERSHIP) and user.municipality_id is None
    )


def can_mark_read(user: User) -> bool:
    """The municipality's own users keep its read marks."""
    return has_role(user, Role.MUNICIPAL, Role.LEADERSHIP) and user.municipality_id is not None


def scope_notices(stmt: Select, user: User) -> Select:
    personal = Notification.user_id == user.id
    shared = Notification.user_id.is_(None)
    if reads_all_notices(user):
        return stmt.where(or_(shared, personal))
    if not can_mark_read(user):
        return stmt.where(personal)
    return stmt.where(
        or_(and_(shared, Notification.municipality_id == user.municipality_id), personal)
    )


def can_mark_notice(user: User, notice: Notification) -> bool:
    if notice.user_id is not None:
        return notice.user_id == user.id
    return can_mark_read(user) and notice.municipality_id == user.municipality_id


def get_notice_or_404(ident, user: User) -> Notification:
    if not valid_id(ident):
        abort(404)
    stmt = scope_notices(select(Notification).where(Notification.id == ident), user)
    return db.session.scalar(stmt) or abort(404)


def can_manage_outbox(user: User) -> bool:
    return has_role(user, *OUTBOX_READERS)
