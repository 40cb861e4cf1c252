"""Who may read and record a participation's figures.

Reading follows the participation (``portal.access``): the municipality's own
municipal and leadership users, and national users; anyone else gets 404. Recording: the
municipality's municipal users, and coordinators. Importing: coordinators for any
municipality of a round, municipal users for their own only.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import access
from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.benefits.models import Measurement
from portal.participations.models import Participation

READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR, Role.ADMIN)


def can_edit_figures(user: User, participation: Participation) -> bool:
    return access.allows(user, participation, "change", model=Measurement)


def can_enter_figures(user: User) -> bool:
    """The "Indtast tal" menu entry: a municipality's own project staff (coordinators record
    figures from the participation's page)."""
    return has_role(user, Role.MUNICIPAL) and user.municipality_id is not None


def can_import_for_any(user: User) -> bool:
    """Import figures for every municipality of a round (a round's upload page, its export)."""
    return has_role(user, Role.COORDINATOR)


def can_export_round(user: User) -> bool:
    return has_role(user, *READERS) and user.is_national


def import_limit(actor) -> int | None:
    """The one municipality ``actor`` may import figures for, or None for any (coordinators,
    and the command line, which runs without a user). Others may not import."""
    return access.municipality_limit(
        actor, Measurement, "change", _l("Du har ikke adgang til at indlæse tal.")
    )


TEMPLATE_PERMISSIONS = {"can_enter_figures": can_enter_figures}
