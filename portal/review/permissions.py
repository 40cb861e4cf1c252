"""Who may see and do what in the review.

Coordinators see every application that has been submitted (drafts are the municipality's
own business) and decide. A reviewer sees only the applications assigned to them, and never
one their own municipality is part of, even if such an assignment reached the database by
another road (the ``review`` action of ``portal.access``'s application policy). Municipal and
leadership users (and admins) have no business here: 403.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.applications.models import Application, ApplicationStatus
from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.db import db
from portal.review.models import Review, ReviewStatus

REVIEW_ROLES = (Role.COORDINATOR, Role.REVIEWER)
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
    return has_role(user, Role.COORDINATOR)


def is_reviewer(user: User) -> bool:
    """Can hold an assignment: reviewers, and coordinators (who score too; DESIGN's roles)."""
    return has_role(user, *REVIEW_ROLES)


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
