"""Who reads which notices, who marks them read, and who sees the outbox.

A notice belongs to a municipality (the read mark too: one for the municipality, not per
user). Its municipal and leadership users read it and mark it read; coordinators and
national leadership read every municipality's notices but leave the read mark alone;
reviewers and admins have none. A personal notice (``user_id``: a file is ready) is its
user's alone, to read and mark. Which notices: ``portal.access``; out-of-scope ids answer
404.
"""

from __future__ import annotations

from portal import access
from portal.auth.models import User
from portal.notifications.models import Notification, OutboxMessage


def reads_all_notices(user: User) -> bool:
    return access.is_national(user) and access.can(user, Notification)


def can_mark_read(user: User) -> bool:
    """The municipality's own users keep its read marks."""
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, Notification, "change")


def can_manage_outbox(user: User) -> bool:
    return access.can(user, OutboxMessage)
