"""What each role's home page shows: plain figures, gathered in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.applications.models import Application, ApplicationStatus
from portal.applications.queries import applications_of
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.municipalities.models import Municipality
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
    applications: list[Application] = field(default_factory=list)
    reporting: list = field(default_factory=list)
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
    if user.role in (Role.COORDINATOR, Role.ADMIN) or user.is_national:
        figures.counts = national_counts()
    elif user.municipality_id is not None and user.role in (Role.MUNICIPAL, Role.LEADERSHIP):
        figures.applications = applications_of(user)
        figures.reporting = home_items(user)
    return figures


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
