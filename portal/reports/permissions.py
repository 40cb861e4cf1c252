"""Who gets which report.

National leadership and coordinators get every report. A municipal or leadership user of a
municipality gets their own municipality's (its row, and its community's subtotal) and their
community's (the members' rows); another municipality's answers 404, a national report 403.
Admins manage users and the register, reviewers score applications: neither has reports
(403).
"""

from __future__ import annotations

from portal import access
from portal.auth.models import User
from portal.participations.models import Participation
from portal.reports.scope import ReportScope, ScopeKind


def can_read_all_reports(user: User) -> bool:
    return access.reaches_every(user, Participation)


def can_read_own_reports(user: User) -> bool:
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, Participation)


def can_read_region_reports(user: User) -> bool:
    """A round's report of one region (a regional consultant's own region)."""
    return access.can(user, Participation) and access.reach_of(user).region is not None


def can_use_reports(user: User) -> bool:
    """For the navigation and the reports page: whoever reads participations."""
    return access.can(user, Participation)


def can_read_report(user: User, scope: ReportScope) -> bool:
    if can_read_all_reports(user):
        return True
    if not can_use_reports(user):
        return False
    # Which municipality's, region's or community's figures: the gate's policies and reach.
    if scope.kind == ScopeKind.REGION:
        return scope.round is not None and access.reach_of(user).covers_region(scope.region)
    if scope.kind == ScopeKind.MUNICIPALITY:
        return access.allows_rows_of(user, scope.municipality.id, Participation)
    if scope.kind == ScopeKind.COMMUNITY:
        return access.allows(user, scope.community)
    return False


def refusal_status(user: User, scope: ReportScope) -> int:
    """403 for a role that may never have the report (a national one for a municipality's
    user, any for an admin or reviewer), 404 for another municipality's or community's (so
    its existence is not confirmed)."""
    if not can_use_reports(user) or scope.kind == ScopeKind.NATIONAL:
        return 403
    return 404


TEMPLATE_PERMISSIONS = {"can_use_reports": can_use_reports}
