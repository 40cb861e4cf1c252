"""Who may see and change participations, communities and grants.

National users (coordinators, admins, national leadership) see every round's participations;
only coordinators change them. A municipal or leadership user of a municipality sees that
municipality's participations (with its community's members, not their grants); any other
participation answers 404 (``portal.access``). Reviewers have no business here (403).
"""

from __future__ import annotations

from portal.auth.models import Role, User
from portal.auth.permissions import has_role

READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR, Role.ADMIN)


def can_manage_participations(user: User) -> bool:
    """Form communities, override grants, record disbursements, import participants."""
    return has_role(user, Role.COORDINATOR)


def can_view_all_participations(user: User) -> bool:
    return has_role(user, *READERS) and user.is_national


def has_own_participations(user: User) -> bool:
    return has_role(user, Role.MUNICIPAL, Role.LEADERSHIP) and user.municipality_id is not None


TEMPLATE_PERMISSIONS = {
    "can_manage_participations": can_manage_participations,
    "can_view_all_participations": can_view_all_participations,
    "has_own_participations": has_own_participations,
}
