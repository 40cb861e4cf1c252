"""A reporting round: Sep 2025 – Mar 2027 with four indicators, participations created before
the period starts, and their schedules."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from portal.benefits.models import Baseline, Target
from portal.db import db
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reporting.schedule import ensure_schedules
from tests.benefits.helpers import END, START, figures_round, participation_of

__all__ = ["END", "START", "participation_of"]

BEFORE_START = datetime(2025, 8, 15, 10, 0, tzinfo=UTC)


def reporting_round(codes=(101, 147), **fields):
    round_ = figures_round(codes, **fields)
    for code in codes:
        participation_of(round_, code).created_at = BEFORE_START
    ensure_schedules(round_)
    return round_


def items(participation, kind: ReportKind | None = None) -> list[ReportingRequirement]:
    db.session.flush()
    found = db.session.scalars(
        select(ReportingRequirement)
        .where(ReportingRequirement.participation_id == participation.id)
        .order_by(ReportingRequirement.due_on, ReportingRequirement.id)
    ).all()
    return [i for i in found if kind is None or i.kind == kind]


def item(participation, kind: ReportKind, due_on: date | None = None) -> ReportingRequirement:
    return next(i for i in items(participation, kind) if due_on is None or i.due_on == due_on)


def record_all_figures(participation, *, skip: str | None = None) -> None:
    """A baseline and a target for every indicator (but the target of ``skip``)."""
    for indicator in participation.round.programme.indicators:
        common = dict(
            participation_id=participation.id,
            municipality_id=participation.municipality_id,
            indicator_id=indicator.id,
        )
        db.session.add(Baseline(**common, value=Decimal(10), measured_on=START))
        if indicator.key != skip:
            db.session.add(Target(**common, value=Decimal(20), target_date=END))
    db.session.flush()
