"""Who reads which notices, who marks them read, and who sees the outbox.

A notice belongs to a municipality (the read mark too: one for the municipality, not per
user). Its municipal and leadership users read it and mark it read; coordinators and
national leadership read every municipality's notices but leave the read mark alone;
reviewers and admins have none. A personal notice (``user_id``: a file is ready) is its
user's alone, to read and mark. Which notices: ``portal.access``; out-of-scope ids answer
404.
"""

from __future__ import annotations

from portal.auth.models import Role, User
from portal.auth.permissions import has_role

OUTBOX_READERS = (Role.COORDINATOR, Role.ADMIN)


def reads_all_notices(user: User) -> bool:
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.LEADERSHIP) and user.municipality_id is None
    )


def can_mark_read(user: User) -> bool:
    """The municipality's own users keep its read marks."""
    return has_role(user, Role.MUNICIPAL, Role.LEADERSHIP) and user.municipality_id is not None


def can_manage_outbox(user: User) -> bool:
    return has_role(user, *OUTBOX_READERS)
