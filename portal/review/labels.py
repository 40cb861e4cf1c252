"""Danish (translatable) words for the review's states and the decisions."""

from flask_babel import lazy_gettext as _l

from portal.applications.models import ApplicationStatus
from portal.audit.words import register_value_words
from portal.review.models import ReviewStatus

REVIEW_STATUS_LABELS = {
    ReviewStatus.ASSIGNED: _l("Ikke indsendt"),
    ReviewStatus.SUBMITTED: _l("Indsendt"),
    ReviewStatus.ABSTAINED: _l("Inhabil"),
}

DECISION_LABELS = {
    ApplicationStatus.APPROVED: _l("Godkend"),
    ApplicationStatus.WAITLISTED: _l("Sæt på venteliste"),
    ApplicationStatus.REJECTED: _l("Afvis"),
}


def review_status_label(status) -> str:
    return str(REVIEW_STATUS_LABELS[ReviewStatus(status)])


register_value_words("status", review_status_label)
