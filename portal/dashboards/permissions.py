"""Who may see which dashboard.

A municipality's municipal and leadership users see their own participations' dashboards
and their own communities' views; another municipality's participation or community answers
404 (``portal.access``). The national view of a round is for national users (coordinators, admins, national
leadership): 403 for everyone else. Reviewers have no dashboards (403).
"""

from __future__ import annotations

from portal.auth.models import Role, User
from portal.auth.permissions import has_role

# Admins run users and the register; the figures are not theirs to read.
READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR)


def can_view_dashboards(user: User) -> bool:
    return has_role(user, *READERS)


def can_view_round_dashboard(user: User) -> bool:
    return has_role(user, *READERS) and user.is_national


TEMPLATE_PERMISSIONS = {
    "can_view_dashboards": can_view_dashboards,
    "can_view_round_dashboard": can_view_round_dashboard,
}
