"""What each role's home page shows: plain figures, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal import access
from portal.applications.models import Application, ApplicationStatus, DeadlineExtension
from portal.applications.queries import applications_of
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes import services as programmes
from portal.programmes.models import Programme, Round, RoundStatus
from portal.reporting.services import home_items
from portal.review.services import reviews_waiting


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
    # A reviewer's reviews not yet given (a coordinator's only when there are any).
    reviews_waiting: list | None = None
    greeting: str = ""


def home_figures(user: User) -> HomeFigures:
    now = utcnow()
    figures = HomeFigures(
        open_rounds=programmes.open_rounds(now),
        upcoming_rounds=programmes.upcoming_rounds(now),
        running_rounds=programmes.running_rounds(now),
        municipality=user.municipality,
        greeting=greeting(user),
    )
    if access.can(user, Application, "review"):
        waiting = reviews_waiting(user)
        # a reviewer sees the count even at none; a coordinator only when there is work
        only_reviews = not access.can(user, Application, "decide")
        figures.reviews_waiting = waiting if waiting or only_reviews else None
    if access.is_national(user):
        figures.counts = national_counts()
    elif user.municipality_id is not None and access.allows_rows_of(
        user, user.municipality_id, Participation
    ):
        figures.applications = applications_of(user)
        figures.reporting = home_items(user)
        _only_own_rounds(figures, user, now)
    return figures


def _only_own_rounds(figures: HomeFigures, user: User, now: datetime) -> None:
    """A municipality sees the rounds it may apply to — open, or open for it alone until a
    deadline a coordinator extended — and the running rounds it takes part in."""
    minute = now.replace(second=0, microsecond=0)
    extended = db.session.execute(
        access.visible(
            select(Round, DeadlineExtension.until_at)
            .join(DeadlineExtension, DeadlineExtension.round_id == Round.id)
            .options(joinedload(Round.programme))
            .where(
                DeadlineExtension.municipality_id == user.municipality_id,
                DeadlineExtension.until_at >= minute,
                Round.status == RoundStatus.OPEN,
                Round.opens_at <= now,
            ),
            user,
            model=DeadlineExtension,
        )
    ).all()
    figures.deadlines = {r.id: until for r, until in extended if until > r.deadline_at}
    shown = {r.id for r in figures.open_rounds}
    figures.open_rounds += [r for r, _until in extended if r.id not in shown]
    taking_part = set(
        db.session.scalars(
            access.visible(
                select(Participation.round_id).where(
                    Participation.municipality_id == user.municipality_id
                ),
                user,
                model=Participation,
            )
        )
    )
    figures.running_rounds = [r for r in figures.running_rounds if r.id in taking_part]


def greeting(user: User) -> str:
    """Who the user is in the collaboration, in a sentence under the welcome."""
    m = user.municipality.full_name if user.municipality else None
    if user.role == Role.MUNICIPAL and m:
        return _("Du arbejder for %(m)s.", m=m)
    if user.role == Role.COORDINATOR:
        return _("Du er national koordinator.")
    if user.role == Role.REVIEWER:
        text = _("Du er bedømmer.")
        if m:
            text += " " + _(
                "Du hører til %(m)s og bedømmer aldrig ansøgninger, som kommunen indgår i.", m=m
            )
        return text
    if user.role == Role.LEADERSHIP:
        if m:
            return _("Du følger %(m)s som ledelse.", m=m)
        return _("Du følger samarbejdet som national ledelse.")
    if user.role == Role.ADMIN:
        return _("Du administrerer brugere og kommuneregisteret.")
    if user.role == Role.REGIONAL:
        return _("Du følger kommunerne i %(region)s.", region=user.region)
    return ""


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
