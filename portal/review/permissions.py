"""Who may see and do what in the review.

Coordinators see every application that has been submitted (drafts are the municipality's
own business) and decide. A reviewer sees only the applications assigned to them, and never
one their own municipality is part of, even if such an assignment reached the database by
another road (the ``review`` action of ``portal.access``'s application policy). Municipal and
leadership users (and admins) have no business here: 403.
"""

from __future__ import annotations

from sqlalchemy import select

from portal import access
from portal.applications.models import Application, ApplicationStatus
from portal.auth.models import User
from portal.db import db
from portal.review.models import Review, ReviewStatus

# Applications that can be reviewed and decided: submitted, or already decided.
REVIEWABLE = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
)
# Applications a coordinator sees in the review (everything but drafts).
NOT_DRAFT = (*REVIEWABLE, ApplicationStatus.WITHDRAWN)


def can_manage_review(user: User) -> bool:
    """Round overview, assignment, criteria, decisions and exports."""
    return access.can(user, Application, "decide")


def reviewer_roles() -> tuple:
    """The roles that can hold an assignment: those the review policy names."""
    return access.roles_granted(Application, "review")


def is_reviewer(user: User) -> bool:
    """Can hold an assignment: reviewers, and coordinators (who score too; DESIGN's roles)."""
    return access.can(user, Application, "review")


def involves(application: Application, municipality_id: int | None) -> bool:
    """The municipality is the applicant or a co-applicant."""
    return municipality_id is not None and municipality_id in application.municipality_ids


def own_review(application: Application, user: User) -> Review | None:
    if not is_reviewer(user):
        return None
    return db.session.scalar(
        select(Review).where(Review.application_id == application.id, Review.reviewer_id == user.id)
    )


def can_see_others(own: Review | None, user: User) -> bool:
    """Coordinators always (they run the review, scoring or not); a reviewer once their own
    review is submitted."""
    return can_manage_review(user) or (own is not None and own.status == ReviewStatus.SUBMITTED)
