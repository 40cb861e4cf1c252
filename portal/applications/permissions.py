"""Who may see and change an application.

An application concerns its applicant and its co-applicants: users of any of them see it
(co-applicants must, to confirm it); national users see every application; a reviewer sees
the ones assigned to them (``portal.review``). Which rows: ``portal.access``; everything else
answers 404.
"""

from __future__ import annotations

from portal import access
from portal.applications.models import REOPENABLE, WITHDRAWABLE, Application, ApplicationStatus
from portal.auth.models import User


def is_own(user: User, application: Application) -> bool:
    """The user works for the applicant municipality (not a co-applicant)."""
    return access.allows(user, application, "change")


def can_edit_application(user: User, application: Application) -> bool:
    return is_own(user, application) and application.status == ApplicationStatus.DRAFT


def can_confirm_membership(user: User, application: Application) -> bool:
    return any(
        m.confirmed_at is None and access.allows(user, m, "change") for m in application.members
    )


def can_withdraw(user: User, application: Application) -> bool:
    return is_own(user, application) and application.status in WITHDRAWABLE


def can_decline_membership(user: User, application: Application) -> bool:
    """A co-applicant may leave a draft, confirmed or not."""
    return application.status == ApplicationStatus.DRAFT and any(
        access.allows(user, m, "change") for m in application.members
    )


def can_reopen(user: User, application: Application) -> bool:
    return can_manage_applications(user) and application.status in REOPENABLE


def can_manage_applications(user: User) -> bool:
    """Coordinators: review overview, decisions, reopening, deadline extensions."""
    return access.can(user, Application, "decide")


def can_apply(user: User) -> bool:
    """A municipality's project staff apply to rounds."""
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, Application, "change")


def can_use_applications(user: User) -> bool:
    """The "Ansøgninger" menu item: whoever reads applications or reviews them (not admins:
    users and the register are theirs; not regional consultants: figures are theirs)."""
    return access.can(user, Application) or access.can(user, Application, "review")


def reviews_only(user: User) -> bool:
    """Reviewers read applications in the review, not here."""
    return access.can(user, Application, "review") and not access.can(user, Application)


TEMPLATE_PERMISSIONS = {
    "can_apply": can_apply,
    "can_use_applications": can_use_applications,
    "reviews_only": reviews_only,
}
