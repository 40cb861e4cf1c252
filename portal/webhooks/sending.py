"""Sending deliveries: signed by Standard Webhooks (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``, made by the ``standardwebhooks`` library), posted with a timeout and
no redirects, retried with an exponential pause, and finally marked failed.

A delivery is sent when it is due (``next_attempt_at``); a 2xx answer delivers it; anything
else (an error code, a timeout, a refused connection, an address that is no longer public)
counts an attempt and waits ``WEBHOOKS_BACKOFF_SECONDS × 2^(attempts − 1)`` (at most
``WEBHOOKS_BACKOFF_MAX_SECONDS``) before the next, until ``WEBHOOKS_MAX_ATTEMPTS``. Each
attempt signs afresh (a new timestamp) under the same ``webhook-id``, so a receiver that
remembers ids takes the message once however often it arrives. During a secret's grace
period (``services.rotate_secret``) each delivery carries both signatures.

An attempt is three steps, and no transaction is open while the receiver answers (on SQLite
that would keep every save waiting for up to the timeout): the delivery is *claimed*
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL; its attempt counted and its next attempt moved
past the request's time, committed), then *posted*, then its outcome *recorded* and
committed. A worker killed while posting leaves a claim that falls due again by itself.
"""

from __future__ import annotations

import functools
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from portal.db import db, utcnow
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.webhooks.sealing import UnreadableSecret, unseal
from portal.webhooks.targets import RefusedTarget, pinned

log = logging.getLogger("portal.webhooks")

USER_AGENT = "Skaleringsportalen-Webhooks/1"
CLAIM_MARGIN = timedelta(seconds=60)  # past the request's timeout: a claim of a dead worker


@dataclass
class SendResult:
    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Claimed:
    """What one attempt needs, read before the transaction ends."""

    delivery_id: int
    endpoint_id: int
    message_id: str
    body: str
    url: str
    secrets: tuple[str, ...]  # encrypted; opened just before signing


@dataclass(frozen=True)
class Outcome:
    code: int | None
    error: str


def secrets_in_force(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while its grace period lasts — encrypted
    (``sealing``): opened only to sign an attempt (``post``)."""
    found = [endpoint.secret_encrypted]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret_encrypted and until is not None and until > now:
        found.append(endpoint.previous_secret_encrypted)
    return found


def signed_headers(message_id: str, body: str, secrets, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt: one ``v1,…`` signature per secret in
    force, separated by spaces."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(Webhook(s).sign(message_id, at, body) for s in secrets),
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def backoff(attempts: int, config) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: doubling, capped."""
    base = config["WEBHOOKS_BACKOFF_SECONDS"]
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), config["WEBHOOKS_BACKOFF_MAX_SECONDS"])
    )


def claim(now: datetime, tried: list[int]) -> Claimed | None:
    """The oldest due delivery not tried in this run, its attempt counted; committed."""
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= now,
    )
    if tried:
        stmt = stmt.where(WebhookDelivery.id.not_in(tried))
    delivery = db.session.scalar(
        stmt.order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if delivery is None:
        db.session.rollback()
        return None
    endpoint = delivery.endpoint
    config = current_app.config
    delivery.attempts = (delivery.attempts or 0) + 1
    delivery.last_attempt_at = now
    delivery.next_attempt_at = (
        now + timedelta(seconds=config["WEBHOOKS_TIMEOUT_SECONDS"]) + CLAIM_MARGIN
    )
    claimed = Claimed(
        delivery.id,
        endpoint.id,
        delivery.message_id,
        delivery.body,
        endpoint.url,
        tuple(secrets_in_force(endpoint, utcnow())),
    )
    db.session.commit()
    return claimed


def post(claimed: Claimed) -> Outcome:
    """One request, outside any transaction; never raises over the receiver."""
    config = current_app.config
    try:
        target = pinned(claimed.url)  # checked again: the name may point elsewhere by now
        # signed at the real time (a test may run the schedule on a clock of its own)
        plain = [unseal(s) for s in claimed.secrets]  # just in time, never logged
        headers = signed_headers(claimed.message_id, claimed.body, plain, utcnow())
        del plain
        headers["host"] = target.host
        # No proxies from the environment (the address checked is the one called), no
        # redirects (one could lead inside the network), and a client per attempt (a pooled
        # connection to the same address could carry another name's TLS session).
        with httpx.Client(
            timeout=config["WEBHOOKS_TIMEOUT_SECONDS"],
            follow_redirects=False,
            trust_env=False,
            verify=_tls(),
        ) as client:
            response = client.post(
                target.url,
                content=claimed.body.encode(),
                headers=headers,
                extensions={"sni_hostname": target.sni} if target.sni else {},
            )
    except RefusedTarget as refused:
        return Outcome(None, refused.message)
    except UnreadableSecret:
        return Outcome(None, "the endpoint's secret cannot be decrypted with the configured keys")
    except httpx.TimeoutException:
        return Outcome(None, f"timeout after {config['WEBHOOKS_TIMEOUT_SECONDS']} s")
    except httpx.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:2000])
    code = response.status_code
    return Outcome(code, "" if 200 <= code < 300 else f"HTTP {code}")


@functools.cache
def _tls() -> ssl.SSLContext:
    """The system's certificates, loaded once: loading them costs ten times a request."""
    return ssl.create_default_context()


def record(claimed: Claimed, outcome: Outcome, now: datetime) -> WebhookDelivery | None:
    """The attempt's outcome on the delivery (None when it was deleted meanwhile);
    committed."""
    config = current_app.config
    delivery = db.session.get(WebhookDelivery, claimed.delivery_id, populate_existing=True)
    if delivery is None:
        db.session.rollback()
        return None
    delivery.response_code, delivery.last_error = outcome.code, outcome.error
    if not outcome.error:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, utcnow()
        delivery.next_attempt_at = None
        log.info("webhook %s delivered to endpoint %s", claimed.message_id, claimed.endpoint_id)
    elif delivery.attempts >= config["WEBHOOKS_MAX_ATTEMPTS"]:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        log.warning(
            "webhook %s to endpoint %s failed for good after %s attempts: %s",
            claimed.message_id,
            claimed.endpoint_id,
            delivery.attempts,
            outcome.error,
        )
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts, config)
        log.info(
            "webhook %s attempt %s failed (%s); next at %s",
            claimed.message_id,
            delivery.attempts,
            outcome.error,
            delivery.next_attempt_at,
        )
    db.session.commit()
    return delivery


def send_due(
    limit: int = 100,
    *,
    now: datetime | None = None,
    after_each: Callable[[WebhookDelivery], None] | None = None,
) -> SendResult:
    """Attempt up to ``limit`` due deliveries, oldest first, each committed as it goes
    (worker and command-line code, like a job); never raises over a receiver.
    ``after_each(delivery)`` runs after each attempt is recorded (the command prints it)."""
    now = now or utcnow()
    result = SendResult()
    tried: list[int] = []
    while len(tried) < limit:
        claimed = claim(now, tried)
        if claimed is None:
            break
        tried.append(claimed.delivery_id)
        delivery = record(claimed, post(claimed), now)
        if delivery is None:
            continue
        bucket = {DeliveryStatus.DELIVERED: result.delivered, DeliveryStatus.FAILED: result.failed}
        bucket.get(delivery.status, result.retrying).append(delivery.id)
        if after_each is not None:
            after_each(delivery)
    return result


def next_due() -> datetime | None:
    """When the next pending delivery is due (the worker schedules itself for then)."""
    return db.session.scalar(
        select(WebhookDelivery.next_attempt_at)
        .where(WebhookDelivery.status == DeliveryStatus.PENDING)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(1)
    )
