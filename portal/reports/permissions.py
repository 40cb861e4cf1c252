"""Who gets which report.

National leadership and coordinators get every report. A municipal or leadership user of a
municipality gets their own municipality's (its row, and its community's subtotal) and their
community's (the members' rows); another municipality's answers 404, a national report 403.
Admins manage users and the register, reviewers score applications: neither has reports
(403).
"""

from __future__ import annotations

from portal import access
from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.participations.models import Participation
from portal.reports.scope import ReportScope, ScopeKind


def can_read_all_reports(user: User) -> bool:
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.LEADERSHIP) and user.municipality_id is None
    )


def can_read_own_reports(user: User) -> bool:
    return has_role(user, Role.MUNICIPAL, Role.LEADERSHIP) and user.municipality_id is not None


def can_use_reports(user: User) -> bool:
    """For the navigation and the reports page."""
    return can_read_all_reports(user) or can_read_own_reports(user)


def can_read_report(user: User, scope: ReportScope) -> bool:
    if can_read_all_reports(user):
        return True
    if not can_read_own_reports(user):
        return False
    # Which municipality's or community's figures: the access gate's policies.
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
