"""The coordinator's view of a round's reporting: per municipality what is overdue, with
counts, filtered and sorted; and the rounds with their number of overdue items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.services import OPEN, OVERDUE, ItemView, items_for


@dataclass
class LateRow:
    participation: Participation
    items: list[ItemView]

    @property
    def name(self) -> str:
        return self.participation.municipality.name

    @property
    def overdue(self) -> list[ItemView]:
        return [v for v in self.items if v.state == OVERDUE]

    @property
    def done(self) -> int:
        return sum(1 for v in self.items if v.done)

    @property
    def open(self) -> int:
        return sum(1 for v in self.items if v.state == OPEN)

    @property
    def oldest_due(self) -> date | None:
        return min((v.item.due_on for v in self.overdue), default=None)


@dataclass
class RoundReporting:
    round: Round
    rows: list[LateRow]  # filtered and sorted
    show: str
    sort: str
    counts: dict[str, int]


# Ties keep the municipalities in alphabetical order, whichever the direction.
LATE_SORTS = {
    "name": lambda r: r.name.lower(),
    "overdue": lambda r: len(r.overdue),
    "oldest": lambda r: r.oldest_due or date.max,
    "done": lambda r: r.done,
}


def late_list(
    round_: Round, today: date, *, show: str = "overdue", sort: str = ""
) -> RoundReporting:
    """Per municipality of the round: its items, the overdue ones, and counts. ``show``
    ``overdue`` keeps the municipalities with an overdue item, ``all`` every one; ``sort`` is
    ``name``, ``overdue``, ``oldest`` or ``done`` (``-`` first for descending; by default the
    most overdue first). A fixed number of queries."""
    participations = list(
        db.session.scalars(
            select(Participation)
            .options(
                joinedload(Participation.round),
                joinedload(Participation.municipality),
                joinedload(Participation.community),
            )
            .where(Participation.round_id == round_.id)
        )
    )
    items = items_for(participations, today)
    rows = [LateRow(p, items[p.id]) for p in participations]
    counts = {
        "municipalities": len(rows),
        "late": sum(1 for r in rows if r.overdue),
        "overdue": sum(len(r.overdue) for r in rows),
        "done": sum(r.done for r in rows),
        "total": sum(len(r.items) for r in rows),
    }
    show = show if show in ("overdue", "all") else "overdue"
    if show == "overdue":
        rows = [r for r in rows if r.overdue]
    key = sort.lstrip("-") if sort else ""
    if key not in LATE_SORTS:
        sort, key = "-overdue", "overdue"
    rows.sort(key=lambda r: r.name.lower())
    rows.sort(key=LATE_SORTS[key], reverse=sort.startswith("-"))
    return RoundReporting(round_, rows, show, sort, counts)


def rounds_with_reporting(today: date) -> list[tuple[Round, int, int]]:
    """Every round with participations, with its number of overdue items and of late
    municipalities (the national users' /rapportering/ page)."""
    participations = list(
        db.session.scalars(select(Participation).options(joinedload(Participation.round)))
    )
    rounds: dict[int, Round] = {p.round_id: p.round for p in participations}
    overdue: dict[int, int] = defaultdict(int)
    late: dict[int, set[int]] = defaultdict(set)
    for views in items_for(participations, today).values():
        for view in views:
            if view.state == OVERDUE:
                overdue[view.item.participation.round_id] += 1
                late[view.item.participation.round_id].add(view.item.municipality_id)
    ordered = sorted(rounds.values(), key=lambda r: (r.period_start, r.slug), reverse=True)
    return [(r, overdue[r.id], len(late[r.id])) for r in ordered]
