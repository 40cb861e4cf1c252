"""A small world with one object of every kind for each of two municipalities (Aarhus and
Odense), and a user of every role: what the URL-map sweep and the access gate's tests fill
route arguments and check policies with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from portal.api.models import ApiToken
from portal.auth import services as auth_services
from portal.auth.models import (
    MUNICIPALITY_OPTIONAL,
    MUNICIPALITY_REQUIRED,
    REGION_REQUIRED,
    Role,
    User,
)
from portal.benefits.models import Baseline, Cost, CostKind, Measurement, Target
from portal.db import db, utcnow
from portal.jobs.models import JobKind
from portal.jobs.services import start_job
from portal.notifications.models import Notification
from portal.participations.models import Community, Disbursement
from portal.programmes.models import BenefitKind, BenefitLine
from portal.reporting.models import ReportingRequirement
from portal.reports.scope import ReportScope
from portal.review.models import Review
from tests.benefits.helpers import END, START, add_indicator, participation_of
from tests.conftest import PASSWORD, municipality
from tests.factories import create_programme, create_round
from tests.participations.helpers import approve

OWN, OTHER = 751, 461  # Aarhus, Odense


def _users() -> dict[str, tuple[Role, int | None]]:
    """Who logs in, generated from the roles (a new role is in the world without anyone
    remembering it): a role and the municipality whose reach it has — its own, or for a role
    that carries a region, that municipality's region (Aarhus: Region Midtjylland; Odense is
    in Region Syddanmark) — or None: national. A role that may or may not belong to a
    municipality comes both ways."""
    users: dict[str, tuple[Role, int | None]] = {}
    for role in Role:
        if role in MUNICIPALITY_REQUIRED | REGION_REQUIRED:
            users[role.value] = (role, OWN)
        elif role in MUNICIPALITY_OPTIONAL:
            users[role.value] = (role, OWN)
            users[f"national_{role.value}"] = (role, None)
        else:
            users[role.value] = (role, None)
    return users


# Who logs in: a role and the municipality (or the region of it) the user belongs to.
USERS = _users()


@dataclass
class World:
    users: dict[str, User]
    # route argument name → value, for each municipality's objects (code → values)
    values: dict[int, dict[str, object]] = field(default_factory=dict)
    # the municipality-owned objects themselves, by municipality code
    objects: dict[int, list] = field(default_factory=dict)


def make_user(key: str, role: Role, code: int | None) -> User:
    regional = role in REGION_REQUIRED
    data = auth_services.UserData(
        email=f"sweep.{key}@example.dk",
        name=f"Sweep {key}",
        role=role,
        municipality_id=municipality(code).id if code is not None and not regional else None,
        region=municipality(code).region if code is not None and regional else None,
    )
    return auth_services.create_user(data, PASSWORD)


def build_world() -> World:
    users = {key: make_user(key, role, code) for key, (role, code) in USERS.items()}
    expert = make_user("expert", Role.REVIEWER, None)
    programme = create_programme()
    indicator = add_indicator(programme, "screen_visits", unit="besøg pr. måned")
    line = BenefitLine(
        programme=programme,
        position=0,
        key="time",
        name_da="Frigjort tid",
        kind=BenefitKind.HOURS,
        formula="screen_visits * 30 / 60",
    )
    db.session.add(line)
    round_ = create_round(programme, period_start=START, period_end=END)
    world = World(users)
    for code in (OWN, OTHER):
        application = approve(round_, code, actor=None)
        p = participation_of(round_, code)
        community = Community(round=round_, name=f"Fællesskab {code}")
        db.session.add(community)
        db.session.flush()
        p.community = community
        common = dict(participation=p, municipality_id=p.municipality_id, indicator=indicator)
        figures = [
            Baseline(**common, value=Decimal(10), measured_on=START),
            Target(**common, value=Decimal(20), target_date=END),
            Measurement(**common, value=Decimal(12), period=START),
        ]
        cost = Cost(
            participation=p,
            municipality_id=p.municipality_id,
            kind=CostKind.ONE_OFF,
            category="Licens",
            incurred_on=START,
            amount=Decimal(1000),
        )
        disbursement = Disbursement(
            participation=p, municipality_id=p.municipality_id, paid_on=START, amount=1000
        )
        notice = Notification(
            municipality_id=p.municipality_id,
            kind="application_submitted",
            params={"round": round_.name_da},
        )
        review = Review(application=application, reviewer_id=expert.id)
        extension = _extension(round_, p.municipality_id)
        db.session.add_all([*figures, cost, disbursement, notice, review, extension])
        db.session.flush()
        item = db.session.scalars(
            select(ReportingRequirement).where(ReportingRequirement.participation_id == p.id)
        ).first()
        colleague = make_user(f"colleague{code}", Role.MUNICIPAL, code)
        # a job of the municipality's own funding report, started by its municipal user
        starter = users["municipal"] if code == OWN else colleague
        job = start_job(
            JobKind.FUNDING_PDF,
            ReportScope(round=round_, municipality=p.municipality),
            actor=starter,
        )
        personal = Notification(
            user_id=colleague.id, kind="job_done", params={"round": "r", "file": "f.pdf"}
        )
        db.session.add(personal)
        conversation = _conversation(round_, application, p, author=colleague)
        hook, delivery = _webhook(p.municipality_id, starter)
        # an API token of the municipality, made by its municipal user (``portal.api``)
        token = ApiToken(
            name=f"Token {code}",
            prefix="skp_sweep",
            token_hash=f"{code:064d}",
            scopes="read write:figures",
            user_id=starter.id,
            municipality_id=p.municipality_id,
        )
        db.session.add(token)
        db.session.flush()
        world.objects[code] = [
            application,
            *application.members,
            p,
            community,
            *figures,
            cost,
            disbursement,
            notice,
            review,
            extension,
            item,
            colleague,
            job,
            personal,
            *conversation,
            hook,
            delivery,
            token,
        ]
        world.values[code] = {
            "application_id": application.id,
            "participation_id": p.id,
            "community_id": community.id,
            "measurement_id": figures[2].id,
            "cost_id": cost.id,
            "disbursement_id": disbursement.id,
            "notice_id": notice.id,
            "review_id": review.id,
            "extension_id": extension.id,
            "item_id": item.id,
            "user_id": colleague.id,
            "job_id": job.id,
            "thread_id": conversation[0].id,
            "attachment_id": conversation[2].id,
            "endpoint_id": hook.id,
            "delivery_id": delivery.id,
            "token_id": token.id,
            # not municipality-owned: the same for both
            "round_slug": round_.slug,
            "programme_slug": programme.slug,
            "indicator_id": indicator.id,
            "line_id": line.id,
            "fmt": "csv",
            # an open data version's day and file (none stored: 404)
            "day": "2000-01-01",
            "file": "alle.zip",
            # a report's scope in the query string (``?kommune=``, ``?faellesskab=``, ``?region=``)
            "query_scopes": (
                {"kommune": str(code)},
                {"faellesskab": str(community.id)},
                {"region": p.municipality.region},
            ),
        }
    db.session.commit()
    return world


def _conversation(round_, application, participation, *, author) -> list:
    """An application's thread with a message and a PDF attachment (its bytes in the file
    store), and the application's first submitted version."""
    from portal import files
    from portal.applications.models import ApplicationVersion
    from portal.conversations.models import Attachment, Message, Thread, ThreadKind

    mid = participation.municipality_id
    thread = Thread(
        kind=ThreadKind.APPLICATION,
        municipality_id=mid,
        round_id=round_.id,
        application_id=application.id,
    )
    message = Message(thread=thread, municipality_id=mid, author_id=author.id, body="Et spørgsmål")
    key = f"conversations/world/{application.id}.pdf"
    files.store().put(key, b"%PDF-1.4 world")
    attachment = Attachment(
        message=message,
        municipality_id=mid,
        key=key,
        filename="bilag.pdf",
        content_type="application/pdf",
        size=14,
    )
    version = ApplicationVersion(
        application_id=application.id, municipality_id=mid, number=1, fields={"motivation": "x"}
    )
    db.session.add_all([thread, message, attachment, version])
    db.session.flush()
    return [thread, message, attachment, version]


def _extension(round_, municipality_id):
    from portal.applications.models import DeadlineExtension

    return DeadlineExtension(
        round_id=round_.id,
        municipality_id=municipality_id,
        until_at=utcnow() + timedelta(days=40),
        reason="Sygdom i projektgruppen",
    )


# Route arguments that name a municipality's object; the others (slugs, an indicator, a
# benefit line, a file format) are shared by every municipality.
OWNED_ARGUMENTS = {
    "application_id",
    "participation_id",
    "community_id",
    "measurement_id",
    "cost_id",
    "disbursement_id",
    "notice_id",
    "review_id",
    "extension_id",
    "item_id",
    "user_id",
    "job_id",
    "thread_id",
    "attachment_id",
    "endpoint_id",
    "delivery_id",
    "token_id",
}

__all__ = ["OTHER", "OWN", "OWNED_ARGUMENTS", "World", "build_world"]


def _webhook(municipality_id, creator):
    """The municipality's webhook endpoint with one failed delivery (``portal.webhooks``)."""
    from portal.webhooks.events import queue_delivery
    from portal.webhooks.models import DeliveryStatus, WebhookEndpoint
    from portal.webhooks.sealing import seal

    hook = WebhookEndpoint(
        municipality_id=municipality_id,
        url="https://93.184.215.14/hook",
        events=["figures.changed"],
        secret_encrypted=seal("whsec_" + "A" * 32),
        created_by_id=creator.id,
    )
    db.session.add(hook)
    delivery = queue_delivery(hook, "webhook.test", {"world": True})
    delivery.status = DeliveryStatus.FAILED
    db.session.flush()
    return hook, delivery
