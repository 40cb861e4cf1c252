from flask_babel import lazy_gettext as _l

from portal.audit.words import register_value_words
from portal.auth.models import Role

ROLE_LABELS = {
    Role.MUNICIPAL: _l("Kommunal medarbejder"),
    Role.COORDINATOR: _l("Koordinator"),
    Role.REVIEWER: _l("Bedømmer"),
    Role.LEADERSHIP: _l("Ledelse"),
    Role.ADMIN: _l("Administrator"),
    Role.REGIONAL: _l("Regional konsulent"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


register_value_words("role", role_label)
