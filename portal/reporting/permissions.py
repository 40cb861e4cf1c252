"""Who may read and deliver reporting items.

Reading follows the participation: a municipality's municipal and leadership users read their
own municipality's items, national users (coordinators, admins, national leadership) all; any
other item answers 404 (``portal.access``). Reviewers have no business here (403). Only the municipality's own
municipal users submit its reports; only coordinators reopen a submitted one and follow a
round's list of who is late.
"""

from __future__ import annotations

from portal import access
from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.reporting.models import ReportingRequirement

READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR, Role.ADMIN)


def can_submit_report(user: User, item) -> bool:
    """The item's (or the participation's) municipality's own project staff."""
    return access.allows(user, item, "change", model=ReportingRequirement)


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
