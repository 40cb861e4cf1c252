"""Who may see which dashboard: whoever reads participations (``portal.access``), each within
their reach; another municipality's participation or community answers 404. The view of a
whole round is for those who read every participation (403 for everyone else). Admins and
reviewers have no dashboards (403): the participation policy names neither.
"""

from __future__ import annotations

from portal import access
from portal.auth.models import User
from portal.participations.models import Participation


def can_view_dashboards(user: User) -> bool:
    return access.can(user, Participation)


def can_view_round_dashboard(user: User) -> bool:
    return access.reaches_every(user, Participation)


TEMPLATE_PERMISSIONS = {
    "can_view_dashboards": can_view_dashboards,
    "can_view_round_dashboard": can_view_round_dashboard,
}
