"""What each role's home page shows: plain figures, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.applications.models import Application, ApplicationStatus, DeadlineExtension
from portal.applications.queries import applications_of_municipality
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes import services as programmes
from portal.programmes.models import Programme, Round, RoundStatus
from portal.reporting.services import home_items


@dataclass
class HomeFigures:
    open_rounds: list[Round]
    upcoming_rounds: list[Round]
    running_rounds: list[Round]
    municipality: Municipality | None
    counts: dict[str, int] = field(default_factory=dict)
    # A deadline a coordinator extended for this municipality, by round id.
    deadlines: dict[int, datetime] = field(default_factory=dict)
    applications: list[Application] = field(default_factory=list)
    reporting: list = field(default_factory=list)


def home_figures(user: User) -> HomeFigures:
    now = utcnow()
    figures = HomeFigures(
        open_rounds=programmes.open_rounds(now),
        upcoming_rounds=programmes.upcoming_rounds(now),
        running_rounds=programmes.running_rounds(now),
        municipality=user.municipality,
    )
    if user.role in (Role.COORDINATOR, Role.ADMIN) or user.is_national:
        figures.counts = national_counts()
    elif user.municipality_id is not None and user.role in (Role.MUNICIPAL, Role.LEADERSHIP):
        figures.applications = applications_of_municipality(user.municipality_id)
        figures.reporting = home_items(user)
        _only_own_rounds(figures, user.municipality_id, now)
    return figures


def _only_own_rounds(figures: HomeFigures, municipality_id: int, now: datetime) -> None:
    """A municipality sees the rounds it may apply to — open, or open for it alone until a
    deadline a coordinator extended — and the running rounds it takes part in."""
    minute = now.replace(second=0, microsecond=0)
    extended = db.session.execute(
        select(Round, DeadlineExtension.until_at)
        .join(DeadlineExtension, DeadlineExtension.round_id == Round.id)
        .options(joinedload(Round.programme))
        .where(
            DeadlineExtension.municipality_id == municipality_id,
            DeadlineExtension.until_at >= minute,
            Round.status == RoundStatus.OPEN,
            Round.opens_at <= now,
        )
    ).all()
    figures.deadlines = {r.id: until for r, until in extended if until > r.deadline_at}
    shown = {r.id for r in figures.open_rounds}
    figures.open_rounds += [r for r, _until in extended if r.id not in shown]
    taking_part = set(
        db.session.scalars(
            select(Participation.round_id).where(Participation.municipality_id == municipality_id)
        )
    )
    figures.running_rounds = [r for r in figures.running_rounds if r.id in taking_part]


def national_counts() -> dict[str, int]:
    row = db.session.execute(
        select(
            select(func.count(Programme.id)).scalar_subquery(),
            select(func.count(Round.id)).scalar_subquery(),
            select(func.count(Round.id)).where(Round.status == RoundStatus.DRAFT).scalar_subquery(),
            select(func.count(Municipality.id)).where(Municipality.active).scalar_subquery(),
            select(func.count(User.id)).where(User.active).scalar_subquery(),
            select(func.count(Application.id))
            .where(Application.status == ApplicationStatus.SUBMITTED)
            .scalar_subquery(),
        )
    ).one()
    keys = ("programmes", "rounds", "draft_rounds", "municipalities", "users", "awaiting")
    return dict(zip(keys, (int(v or 0) for v in row), strict=True))
