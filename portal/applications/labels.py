"""Danish (translatable) words for the application enums, shared by pages, exports and PDFs."""

from flask_babel import lazy_gettext as _l

from portal.applications.models import ApplicantRole, ApplicationStatus, Experience
from portal.audit.words import register_value_words

ROLE_LABELS = {
    ApplicantRole.LEAD: _l("Skaleringsleder"),
    ApplicantRole.PARTICIPANT: _l("Deltagerkommune"),
}

STATUS_LABELS = {
    ApplicationStatus.DRAFT: _l("Kladde"),
    ApplicationStatus.SUBMITTED: _l("Indsendt"),
    ApplicationStatus.APPROVED: _l("Godkendt"),
    ApplicationStatus.WAITLISTED: _l("På venteliste"),
    ApplicationStatus.REJECTED: _l("Afvist"),
    ApplicationStatus.WITHDRAWN: _l("Trukket tilbage"),
}

EXPERIENCE_LABELS = {
    Experience.NONE: _l(
        "Ingen eller få erfaringer med teknologien, men vil gerne opnå den værdi, den kan give"
    ),
    Experience.SOME: _l(
        "Nogen erfaring med at bruge teknologien, men ikke kommet i mål med at skabe værdi"
    ),
    Experience.SMALL_SCALE: _l(
        "Har afprøvet og/eller implementeret teknologien i mindre skala og vil skalere den"
        " yderligere"
    ),
}


def role_label(role) -> str:
    return str(ROLE_LABELS[ApplicantRole(role)])


def status_label(status) -> str:
    return str(STATUS_LABELS[ApplicationStatus(status)])


def experience_label(experience) -> str:
    return str(EXPERIENCE_LABELS[Experience(experience)]) if experience else "–"


register_value_words("status", status_label)
register_value_words("role", role_label)
