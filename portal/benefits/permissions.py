"""Who may read and record a participation's figures.

Reading follows the participation (``portal.access``): each reader within their reach, anyone
else gets 404. Recording: the municipality's municipal users, and coordinators. Importing:
coordinators for any municipality of a round, municipal users for their own only.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal import access
from portal.auth.models import User
from portal.benefits.models import Measurement
from portal.participations.models import Participation


def can_edit_figures(user: User, participation: Participation) -> bool:
    return access.allows(user, participation, "change", model=Measurement)


def can_enter_figures(user: User) -> bool:
    """The "Indtast tal" menu entry: a municipality's own project staff (coordinators record
    figures from the participation's page)."""
    mine = getattr(user, "municipality_id", None)
    return mine is not None and access.allows_rows_of(user, mine, Measurement, "change")


def can_import_for_any(user: User) -> bool:
    """Import figures for every municipality of a round (a round's upload page, its export)."""
    return access.reaches_every(user, Measurement, "change")


def can_export_round(user: User) -> bool:
    return access.reaches_every(user, Measurement)


def import_limit(actor) -> int | None:
    """The one municipality ``actor`` may import figures for, or None for any (coordinators,
    and the command line, which runs without a user). Others may not import."""
    return access.municipality_limit(
        actor, Measurement, "change", _l("Du har ikke adgang til at indlæse tal.")
    )


TEMPLATE_PERMISSIONS = {"can_enter_figures": can_enter_figures}
