"""What a participation's dashboard is judged by, read with the participation itself in one
query: the participation (through the access gate: missing or not the reader's is a 404), the
version of its round's stored results (the medians), the version of its own stored results
(its own figures), the version of its reporting items and the header's unread count. The statements are built once (per reader for the gate's condition) and kept,
with the participation's id as a bound parameter."""

from __future__ import annotations

from functools import lru_cache

from flask import abort
from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload

from portal import access
from portal.conditional import read_versions
from portal.db import one_trip, valid_id
from portal.participations.models import Participation
from portal.reporting.services import items_version
from portal.results.models import ParticipationResult
from portal.results.read import data_version_query, version_text

PARTICIPATION = bindparam("participation_id", type_=Integer)

# What the version reads of the participation, joined in the same query (the programme, read
# only when the page is drawn, is loaded then).
LOADS = (
    joinedload(Participation.round),
    joinedload(Participation.municipality),
    joinedload(Participation.community),
)


@lru_cache(maxsize=1)
def _versions() -> tuple[Select, Select, Select]:
    other = aliased(Participation)
    round_of = select(other.round_id).where(other.id == PARTICIPATION).scalar_subquery()
    # Its own row's version moves with every change of its own figures (``results.refresh``)
    # and when it is read differently (``refresh.touch``: a new community, a new name).
    own = select(
        func.coalesce(func.max(ParticipationResult.data_version), 0),
        func.max(ParticipationResult.refreshed_at),
    ).where(ParticipationResult.participation_id == PARTICIPATION)
    return data_version_query(round_of), own, items_version(PARTICIPATION)


def _participation() -> Select:
    return select(Participation).where(Participation.id == PARTICIPATION).options(*LOADS)


def participation_and_versions(
    participation_id: int, user
) -> tuple[Participation, str, tuple, tuple]:
    """The participation, its round's results version (``results.read.version_text``), its
    own results' version and its items' version (``reporting.services.items_version``); 404
    as the gate says."""
    if not valid_id(participation_id):
        abort(404)
    found = read_versions(
        *_versions(),
        entity=access.kept_visible("dashboard", _participation, user, model=Participation),
        params={"participation_id": participation_id},
    )
    if found is None:
        abort(404)
    participation, (results, own, items) = found
    return participation, version_text(participation.round_id, results), tuple(own), tuple(items)


def versions_of(participation: Participation) -> tuple[str, tuple, tuple]:
    """The same versions of a participation loaded without a reader (``portal dashboards
    draw`` draws every participation's sections before anyone asks)."""
    results, own, items = one_trip(*_versions(), params={"participation_id": participation.id})
    return version_text(participation.round_id, results), tuple(own), tuple(items)
