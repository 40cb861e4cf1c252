"""A realistic demo: the shipped programmes, one round open for applications now, users for
a handful of municipalities, all with one known password that ``make run`` prints, and the
collaboration itself (``portal.demo.collaboration``): applications, reviews, decisions,
communities and grants.

Running it again changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.auth import services as auth
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.i18n import COPENHAGEN
from portal.municipalities.models import Municipality
from portal.programmes import rules
from portal.programmes import services as programme_services
from portal.programmes.models import Programme, Round, RoundStatus

DEMO_PASSWORD = "demo-skalering-2026"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    code: int | None = None
    region: str | None = None


# Municipalities the seeds talk about (Helsingør, Ringkøbing-Skjern, Varde) and a few more:
# the e-mail address in ASCII, the name as the municipality writes it.
DEMO_MUNICIPALITIES = {
    751: ("aarhus", "Aarhus"),
    461: ("odense", "Odense"),
    851: ("aalborg", "Aalborg"),
    217: ("helsingoer", "Helsingør"),
    760: ("ringkoebing-skjern", "Ringkøbing-Skjern"),
    573: ("varde", "Varde"),
    630: ("vejle", "Vejle"),
}

DEMO_USERS: list[DemoUser] = [
    DemoUser("koordinator@demo.dk", "Karen Koordinator", Role.COORDINATOR),
    DemoUser("ledelse@demo.dk", "Lars Landsledelse", Role.LEADERSHIP),
    DemoUser("admin@demo.dk", "Anna Administrator", Role.ADMIN),
    DemoUser("bedoemmer@demo.dk", "Bent Bedømmer", Role.REVIEWER, 630),
    DemoUser("ekspert@demo.dk", "Eva Ekspert", Role.REVIEWER),
    DemoUser("kkr.midtjylland@demo.dk", "Kirsten KKR", Role.REGIONAL, region="Region Midtjylland"),
    *[
        DemoUser(f"projektleder.{slug}@demo.dk", f"Projektleder {name}", Role.MUNICIPAL, code)
        for code, (slug, name) in DEMO_MUNICIPALITIES.items()
    ],
    *[
        DemoUser(f"direktion.{slug}@demo.dk", f"Direktør {name}", Role.LEADERSHIP, code)
        for code, (slug, name) in list(DEMO_MUNICIPALITIES.items())[:3]
    ],
]


def open_demo_round(programme: Programme, now: datetime) -> Round:
    """A screen-visit round that takes applications today, whenever the demo is loaded."""
    slug = "skaermbesoeg-demo-aaben"
    existing = db.session.scalar(select(Round).where(Round.slug == slug))
    if existing is not None:
        return existing
    today = now.astimezone(COPENHAGEN).date()
    start = (today + timedelta(days=100)).replace(day=1)
    data = rules.RoundData(
        slug=slug,
        name_da="Skærmbesøg – ny ansøgningsrunde",
        name_en="Screen visits – new call",
        opens_at=datetime.combine(today - timedelta(days=14), time(0), COPENHAGEN).astimezone(
            now.tzinfo
        ),
        deadline_at=datetime.combine(today + timedelta(days=45), time(12), COPENHAGEN).astimezone(
            now.tzinfo
        ),
        period_start=start,
        period_end=start + timedelta(days=547),  # about a year and a half, like the brochure's
        lead_grant=900_000,
        participant_grant=None,
        participant_pool=2_000_000,
        community_min=5,
        community_max=10,
        parameters={"annual_cost": "450000", "annual_hours": "1924", "km_rate": "3.79"},
        status=RoundStatus.OPEN,
    )
    return programme_services.create_round(programme, data, actor=None)


def load_demo() -> list[DemoUser]:
    """Load the demo on top of the register and the shipped programmes (loaded if missing)."""
    from portal.programmes.loading import load_shipped_programmes

    if db.session.scalar(select(Municipality.id).limit(1)) is None:
        from portal.municipalities.services import load_shipped_register

        load_shipped_register()
    load_shipped_programmes()
    db.session.flush()
    screen_visits = db.session.scalar(select(Programme).where(Programme.slug == "skaermbesoeg"))
    open_demo_round(screen_visits, utcnow())
    by_code = {
        m.code: m.id
        for m in db.session.scalars(select(Municipality).where(Municipality.country == "DK"))
    }
    existing = {u.email: u for u in db.session.scalars(select(User))}
    for demo in DEMO_USERS:
        if demo.email in existing:
            # A demo loaded before the names had their Danish letters gets them now.
            existing[demo.email].name = demo.name
            continue
        auth.create_user(
            auth.UserData(
                email=demo.email,
                name=demo.name,
                role=demo.role,
                municipality_id=by_code[demo.code] if demo.code else None,
                region=demo.region,
            ),
            DEMO_PASSWORD,
        )
    db.session.flush()
    from portal.demo.collaboration import load_collaboration

    users = {
        u.email: u
        for u in db.session.scalars(
            select(User).where(User.email.in_([d.email for d in DEMO_USERS]))
        )
    }
    load_collaboration(users, utcnow())
    from portal.demo.privacy import load_former_user

    load_former_user(utcnow(), DEMO_PASSWORD)
    return DEMO_USERS


def clear_data() -> None:
    """Delete every row but the municipality register (shared reference data), so the demo
    can be loaded afresh. Children first, in the models' dependency order."""
    from portal.db import Base

    for table in reversed(Base.metadata.sorted_tables):
        if table.name != "municipalities":
            db.session.execute(table.delete())
    db.session.flush()
    db.session.expunge_all()  # the deleted rows' objects must not shadow the new ones


@click.command("demo")
@click.option(
    "--reset",
    is_flag=True,
    help="Slet alt undtagen kommuneregistret og indlæs demoen forfra (ikke i produktion).",
)
@click.option("--yes", is_flag=True, help="Spørg ikke, før der slettes.")
@with_appcontext
def demo_command(reset: bool, yes: bool) -> None:
    """Load a realistic demo and print its logins; ``--reset`` starts it afresh."""
    if reset:
        if current_app.config.get("PORTAL_ENV") == "production":
            raise click.UsageError("--reset sletter alle data og kan ikke bruges i produktion.")
        if not yes:
            click.confirm("Alle data undtagen kommuneregistret slettes. Fortsæt?", abort=True)
        clear_data()
    users = load_demo()
    db.session.commit()
    names = dict(
        db.session.execute(
            select(Municipality.code, Municipality.name).where(Municipality.country == "DK")
        ).all()
    )
    click.echo(f"Demo-logins (adgangskode for alle: {DEMO_PASSWORD}):")
    for demo in users:
        where = f"  ({names.get(demo.code, demo.code)})" if demo.code else ""
        click.echo(f"  {demo.role.value:<12} {demo.email}{where}")
