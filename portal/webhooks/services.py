"""Registering webhook endpoints and acting on their deliveries: the rules, with an explicit
actor. Whose an endpoint is comes from the gate: a user who may change every endpoint (a
coordinator) registers the collaboration's, which hears every municipality's events; a
municipality's own user registers their municipality's, which hears only its own.

Services flush; the view commits. Every change is in the audit log (never a secret).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal import access
from portal.audit import services as audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations
from portal.webhooks.events import EVENTS, TEST, mark_written, queue_delivery
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.webhooks.sealing import reseal, seal
from portal.webhooks.targets import RefusedTarget, check_url

MAX_ENDPOINTS = 10  # per municipality, and for the collaboration
NOT_YOURS = _l("Du kan ikke oprette webhooks.")
NO_EVENTS = _l("Vælg mindst én hændelse.")
UNKNOWN_EVENT = _l("Ukendt hændelse.")
TOO_MANY = _l("Der kan højst være %(max)s webhooks. Slet en, før du opretter en ny.")
STILL_SENDING = _l("Leveringen venter stadig på at blive sendt. Den kan sendes igen bagefter.")


@dataclass(frozen=True)
class EndpointData:
    url: str
    events: list[str]
    description: str = ""
    active: bool = True


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def owner_of_new(actor: User) -> int | None:
    """The municipality a new endpoint of ``actor`` belongs to (None: the collaboration's)."""
    return access.municipality_limit(actor, WebhookEndpoint, "change", NOT_YOURS)


def _checked(data: EndpointData) -> EndpointData:
    problems = []
    url = data.url
    try:
        url = check_url(data.url)
    except RefusedTarget as refused:
        problems.append(("url", refused.message))
    events = list(dict.fromkeys(data.events or []))
    if not events:
        problems.append(("events", str(NO_EVENTS)))
    elif any(e not in EVENTS for e in events):
        problems.append(("events", str(UNKNOWN_EVENT)))
    if problems:
        raise RuleViolations(problems)
    return EndpointData(url, events, (data.description or "").strip()[:200], bool(data.active))


def _audit(action: str, endpoint: WebhookEndpoint, actor: User, **details) -> None:
    audit.record(
        action,
        actor=actor,
        obj=endpoint,
        municipality_id=endpoint.municipality_id,
        url=endpoint.url,
        **details,
    )


def create_endpoint(data: EndpointData, *, actor: User) -> tuple[WebhookEndpoint, str]:
    """A new endpoint of the actor's municipality (or the collaboration's) and its secret,
    to be shown once. Flushes only."""
    owner = owner_of_new(actor)
    data = _checked(data)
    count = db.session.scalar(
        select(func.count(WebhookEndpoint.id)).where(
            WebhookEndpoint.municipality_id.is_(None)
            if owner is None
            else WebhookEndpoint.municipality_id == owner
        )
    )
    if count >= MAX_ENDPOINTS:
        raise InvalidInput(str(TOO_MANY % {"max": MAX_ENDPOINTS}))
    secret = new_secret()
    endpoint = WebhookEndpoint(
        municipality_id=owner,
        url=data.url,
        description=data.description,
        events=data.events,
        active=data.active,
        secret_encrypted=seal(secret),
        previous_secret_encrypted="",
        created_by_id=actor.id,
    )
    db.session.add(endpoint)
    db.session.flush()
    _audit("webhook_created", endpoint, actor, events=data.events)
    return endpoint, secret


def _check_may_change(actor: User, obj) -> None:
    if not access.allows(actor, obj, "change"):
        raise NotAllowed(str(NOT_YOURS))


def update_endpoint(endpoint: WebhookEndpoint, data: EndpointData, *, actor: User) -> None:
    _check_may_change(actor, endpoint)
    data = _checked(data)
    before = {"url": endpoint.url, "events": endpoint.events, "active": endpoint.active}
    endpoint.url, endpoint.events = data.url, data.events
    endpoint.description, endpoint.active = data.description, data.active
    db.session.flush()
    after = {"url": endpoint.url, "events": endpoint.events, "active": endpoint.active}
    _audit("webhook_updated", endpoint, actor, changes=audit.changes(before, after))


def delete_endpoint(endpoint: WebhookEndpoint, *, actor: User) -> None:
    """The endpoint and its deliveries."""
    _check_may_change(actor, endpoint)
    _audit("webhook_deleted", endpoint, actor)
    db.session.delete(endpoint)
    db.session.flush()


def grace_period() -> timedelta:
    return timedelta(hours=current_app.config["WEBHOOKS_SECRET_GRACE_HOURS"])


def rotate_secret(endpoint: WebhookEndpoint, *, actor: User, now: datetime | None = None) -> str:
    """A new secret, shown once; the old one keeps signing beside it for the grace period,
    so the receiver can change its secret without losing a message. Flushes only."""
    _check_may_change(actor, endpoint)
    now = now or utcnow()
    secret = new_secret()
    endpoint.previous_secret_encrypted = endpoint.secret_encrypted
    endpoint.previous_secret_until = now + grace_period()
    endpoint.secret_encrypted = seal(secret)
    db.session.flush()
    _audit(
        "webhook_secret_rotated",
        endpoint,
        actor,
        grace_until=endpoint.previous_secret_until.isoformat(),
    )
    return secret


def send_test(endpoint: WebhookEndpoint, *, actor: User) -> WebhookDelivery:
    """A ``webhook.test`` event to this endpoint alone, through the outbox like any other."""
    _check_may_change(actor, endpoint)
    data = {"message": "Testbesked fra Skaleringsportalen", "endpoint_id": endpoint.id}
    delivery = queue_delivery(endpoint, TEST, data)
    _audit("webhook_test_sent", endpoint, actor, message_id=delivery.message_id)
    return delivery


def send_again(delivery: WebhookDelivery, *, actor: User) -> None:
    """A delivered or failed delivery sent again: the same body and ``webhook-id`` (a
    receiver that already took it can tell), a fresh round of attempts."""
    _check_may_change(actor, delivery)
    if delivery.status == DeliveryStatus.PENDING:
        raise InvalidInput(str(STILL_SENDING))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    mark_written()
    db.session.flush()
    audit.record(
        "webhook_resent",
        actor=actor,
        obj=delivery,
        municipality_id=delivery.municipality_id,
        message_id=delivery.message_id,
        event=delivery.event_type,
    )


def reseal_all() -> int:
    """Every stored secret encrypted anew under the first configured key (after a new key
    was put first in ``WEBHOOKS_SECRET_KEY``); how many endpoints. Flushes only."""
    endpoints = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    for endpoint in endpoints:
        endpoint.secret_encrypted = reseal(endpoint.secret_encrypted)
        endpoint.previous_secret_encrypted = reseal(endpoint.previous_secret_encrypted)
    db.session.flush()
    return len(endpoints)
