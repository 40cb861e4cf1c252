"""Each user's reach: the municipalities whose rows a user could ever read — all of them, a
region's, their own, or only the applications assigned to them — computed here and nowhere
else. The policies say which role reads which model *within* its reach; the reach says how
far that is. "National" is one thing: a reach of all municipalities.

A new role is a line in ``REACHES`` and a line per model in ``policies``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from portal.auth.models import Role
from portal.db import db
from portal.municipalities.models import Municipality


class Extent(enum.StrEnum):
    ALL = "all"  # every municipality: national
    REGION = "region"  # the municipalities of one region
    OWN = "own"  # the user's own municipality
    ASSIGNED = "assigned"  # no municipality's rows, only the applications assigned to them
    # The anonymous reader (``ANONYMOUS``): no municipality's rows by reach; only what a
    # municipality agreed to publish (``rules.CONSENTED``, the policies' ``public`` action).
    PUBLIC = "public"
    NONE = "none"


@dataclass(frozen=True)
class Reach:
    extent: Extent
    municipality_id: int | None = None  # the user's own municipality, whatever the extent
    region: str | None = None  # the region, for a regional reach

    def where(self, model: Any) -> ColumnElement[bool]:
        """The rows of ``model`` (by its ``municipality_id``) within this reach."""
        if self.extent == Extent.ALL:
            return true()
        if self.extent == Extent.REGION:
            return model.municipality_id.in_(_region_ids(self.region))
        if self.extent == Extent.OWN:
            return model.municipality_id == self.municipality_id
        return false()

    def covers(self, municipality_id: int | None) -> bool:
        """Whether one municipality's rows are within this reach (``where`` for one row)."""
        if self.extent == Extent.ALL:
            return True
        if municipality_id is None:
            return False
        if self.extent == Extent.REGION:
            return region_of(municipality_id) == self.region
        if self.extent == Extent.OWN:
            return municipality_id == self.municipality_id
        return False

    def covers_region(self, region: str | None) -> bool:
        """Whether every municipality of ``region`` is within this reach."""
        return self.extent == Extent.ALL or (
            self.extent == Extent.REGION and region is not None and region == self.region
        )


def _own(user: Any) -> Reach:
    mine = user.municipality_id
    return Reach(Extent.OWN, mine) if mine is not None else Reach(Extent.NONE)


def _region(user: Any) -> Reach:
    region = getattr(user, "region", None)
    return Reach(Extent.REGION, user.municipality_id, region) if region else Reach(Extent.NONE)


# The anonymous reader's key in the policies: not a role anyone holds, but a reader the gate
# knows (the public results and open data read as ``PUBLIC``, whoever asks).
ANONYMOUS = "anonymous"

# How far each role reaches. Leadership: the national leadership (tied to no municipality)
# reaches all, a municipality's leadership its own.
REACHES: dict[Role, Callable[[Any], Reach]] = {
    Role.COORDINATOR: lambda user: Reach(Extent.ALL),
    Role.ADMIN: lambda user: Reach(Extent.ALL),
    Role.LEADERSHIP: lambda user: Reach(Extent.ALL) if user.municipality_id is None else _own(user),
    Role.MUNICIPAL: _own,
    Role.REGIONAL: _region,
    Role.REVIEWER: lambda user: Reach(Extent.ASSIGNED, user.municipality_id),
}


def reach_of(user: Any) -> Reach:
    """The user's reach: the public's for an anonymous reader (no municipality's rows of its
    own); nothing for an inactive user or a role not named."""
    if not getattr(user, "is_authenticated", False):
        return Reach(Extent.PUBLIC)
    if not getattr(user, "active", True):
        return Reach(Extent.NONE)
    reach = REACHES.get(getattr(user, "role", None))
    return reach(user) if reach is not None else Reach(Extent.NONE)


def is_national(user: Any) -> bool:
    """The one definition of "national": a reach of every municipality."""
    return reach_of(user).extent == Extent.ALL


def reach_key(user: Any) -> tuple:
    """All that ``reach_of`` reads of a user (part of ``access.reader_key``)."""
    return (
        getattr(user, "is_authenticated", False),
        getattr(user, "active", True),
        getattr(user, "role", None),
        getattr(user, "municipality_id", None),
        getattr(user, "region", None),
    )


def _region_ids(region: str | None):
    return select(Municipality.id).where(Municipality.region == region)


def region_of(municipality_id: int) -> str | None:
    return db.session.scalar(select(Municipality.region).where(Municipality.id == municipality_id))
