"""Who may read and deliver reporting items.

Reading follows the participation: a municipality's municipal and leadership users read their
own municipality's items, national users (coordinators, national leadership) all; any
other item answers 404 (``portal.access``). Reviewers have no business here (403). Only the municipality's own
municipal users submit its reports; only coordinators reopen a submitted one and follow a
round's list of who is late.
"""

from __future__ import annotations

from portal import access
from portal.auth.models import User
from portal.reporting.models import ReportingRequirement


def can_submit_report(user: User, item) -> bool:
    """The item's (or the participation's) municipality's own project staff."""
    return access.allows(user, item, "change", model=ReportingRequirement)


def can_reopen_report(user: User) -> bool:
    return access.can(user, ReportingRequirement, "reopen")


def can_follow_rounds(user: User) -> bool:
    """See every municipality's items of a round (the list of who is late)."""
    return access.reaches_every(user, ReportingRequirement)


def has_own_reports(user: User) -> bool:
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, ReportingRequirement)


def can_use_reporting(user: User) -> bool:
    """Show the "Rapportering" menu item."""
    return can_follow_rounds(user) or has_own_reports(user)


TEMPLATE_PERMISSIONS = {"can_use_reporting": can_use_reporting}
