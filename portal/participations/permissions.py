"""Who may see and change participations, communities and grants.

National users (coordinators, admins, national leadership) see every round's participations;
only coordinators change them. A municipal or leadership user of a municipality sees that
municipality's participations and its community's members; any other participation answers
404 (``portal.access``). Reviewers have no business here (403).

Grants are public money: members of a community see each other's grant and disbursed
amounts (the community's funding report lists them), never the disbursement notes, which
are the coordinator's.
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
