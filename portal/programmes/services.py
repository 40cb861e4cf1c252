"""Programmes and rounds: reading them and the rules for changing them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.db import db, utcnow
from portal.programmes.models import Programme, Round, RoundStatus


def list_programmes() -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme).options(selectinload(Programme.rounds)).order_by(Programme.name_da)
        )
    )


def open_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds taking applications now, the nearest deadline first."""
    now = now or utcnow()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(Round.status == RoundStatus.OPEN, Round.opens_at <= now, Round.deadline_at >= now)
        .order_by(Round.deadline_at)
    )
    return [r for r in db.session.scalars(stmt) if r.accepts_applications(now)]


def upcoming_rounds(now: datetime | None = None) -> list[Round]:
    now = now or utcnow()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(Round.status != RoundStatus.CLOSED, Round.opens_at > now)
        .order_by(Round.opens_at)
    )
    return list(db.session.scalars(stmt))


def running_rounds(now: datetime | None = None) -> list[Round]:
    """Rounds whose collaboration period includes today."""
    today = (now or utcnow()).date()
    stmt = (
        select(Round)
        .options(joinedload(Round.programme))
        .where(Round.period_start <= today, Round.period_end >= today)
        .order_by(Round.period_end)
    )
    return list(db.session.scalars(stmt))
