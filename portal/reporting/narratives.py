"""The municipalities' own words: submitted status and final reports as plain values, for
the dashboards and the progress reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.labels import item_label, kind_label
from portal.reporting.models import ReportingRequirement, ReportKind


@dataclass(frozen=True)
class Narrative:
    """A submitted status or final report as plain values."""

    item_id: int
    participation_id: int
    municipality_id: int
    municipality: str
    round_id: int
    kind: str
    kind_label: str
    label: str
    period_start: date
    period_end: date
    due_on: date
    submitted_at: datetime
    what_worked: str
    obstacles: str
    next_steps: str


def narratives_for(
    of: Participation | Round, period: tuple[date, date] | None = None
) -> list[Narrative]:
    """The submitted status and final reports of a participation, or of every participation
    of a round, whose period overlaps ``period`` (both ends included; None: all), by
    municipality and period. The caller has scoped ``of`` to what the reader may see. One
    query."""
    stmt = (
        select(ReportingRequirement)
        .join(ReportingRequirement.participation)
        .options(
            joinedload(ReportingRequirement.participation).joinedload(Participation.municipality)
        )
        .where(
            ReportingRequirement.kind.in_(
                [ReportKind.STATUS, ReportKind.FINAL, ReportKind.FOLLOW_UP]
            ),
            ReportingRequirement.submitted_at.is_not(None),
        )
    )
    if isinstance(of, Round):
        stmt = stmt.where(Participation.round_id == of.id)
    else:
        stmt = stmt.where(ReportingRequirement.participation_id == of.id)
    if period is not None:
        start, end = period
        stmt = stmt.where(
            ReportingRequirement.period_start <= end, ReportingRequirement.period_end >= start
        )
    items = list(db.session.scalars(stmt))
    items.sort(
        key=lambda i: (i.participation.municipality.name, i.period_start, i.kind != "status")
    )
    return [
        Narrative(
            item_id=i.id,
            participation_id=i.participation_id,
            municipality_id=i.municipality_id,
            municipality=i.participation.municipality.name,
            round_id=i.participation.round_id,
            kind=i.kind.value,
            kind_label=kind_label(i.kind),
            label=item_label(i),
            period_start=i.period_start,
            period_end=i.period_end,
            due_on=i.due_on,
            submitted_at=i.submitted_at,
            what_worked=i.what_worked,
            obstacles=i.obstacles,
            next_steps=i.next_steps,
        )
        for i in items
    ]
