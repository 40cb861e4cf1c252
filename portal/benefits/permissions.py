"""Who may read and record a participation's figures.

Reading follows the participation (``get_participation_or_404``): the municipality's own
municipal and leadership users, and national users; anyone else gets 404. Recording: the
municipality's municipal users, and coordinators. Importing: coordinators for any
municipality of a round, municipal users for their own only.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.auth.models import Role, User
from portal.auth.permissions import has_role
from portal.errors import NotAllowed
from portal.participations.models import Participation
from portal.participations.permissions import get_participation_or_404  # noqa: F401 (re-export)

READERS = (Role.MUNICIPAL, Role.LEADERSHIP, Role.COORDINATOR, Role.ADMIN)


def can_edit_figures(user: User, participation: Participation) -> bool:
    return has_role(user, Role.COORDINATOR) or (
        has_role(user, Role.MUNICIPAL)
        and user.municipality_id is not None
        and user.municipality_id == participation.municipality_id
    )


def can_enter_figures(user: User) -> bool:
    """The "Indtast tal" menu entry: a municipality's own project staff (coordinators record
    figures from the participation's page)."""
    return has_role(user, Role.MUNICIPAL) and user.municipality_id is not None


def can_import_for_any(user: User) -> bool:
    """Import figures for every municipality of a round (a round's upload page, its export)."""
    return has_role(user, Role.COORDINATOR)


def can_export_round(user: User) -> bool:
    return has_role(user, *READERS) and user.is_national


def import_scope(actor) -> int | None:
    """The one municipality ``actor`` may import figures for, or None for any (coordinators,
    and the command line, which runs without a user). Others may not import."""
    if actor is None or can_import_for_any(actor):
        return None
    if has_role(actor, Role.MUNICIPAL) and actor.municipality_id is not None:
        return actor.municipality_id
    raise NotAllowed(_l("Du har ikke adgang til at indlæse tal."))


TEMPLATE_PERMISSIONS = {"can_enter_figures": can_enter_figures}
