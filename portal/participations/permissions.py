"""Who may see and change participations, communities and grants.

Those whose reach is national (coordinators, national leadership) see every round's participations;
only coordinators change them. A municipal or leadership user of a municipality sees that
municipality's participations and its community's members; any other participation answers
404 (``portal.access``). Reviewers have no business here (403).

Grants are public money: members of a community see each other's grant and disbursed
amounts (the community's funding report lists them), never the disbursement notes, which
are the coordinator's: the gate's report audiences (``access.policies.AMOUNTS`` and a
payment's ``note``), which the report builders select through.
"""

from __future__ import annotations

from portal import access
from portal.auth.models import User
from portal.participations.models import Participation


def can_manage_participations(user: User) -> bool:
    """Form communities, override grants, record disbursements, import participants."""
    return access.can(user, Participation, "change")


def can_view_all_participations(user: User) -> bool:
    return access.reaches_every(user, Participation)


def has_own_participations(user: User) -> bool:
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, Participation)


TEMPLATE_PERMISSIONS = {
    "can_manage_participations": can_manage_participations,
    "can_view_all_participations": can_view_all_participations,
    "has_own_participations": has_own_participations,
}
