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

Rows are claimed one at a time with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), as the e-mail
outbox does, so two workers never send the same attempt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from flask import current_app
from sqlalchemy import Select, select
from standardwebhooks.webhooks import Webhook

from portal.db import db, utcnow
from portal.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from portal.webhooks.targets import RefusedTarget, pinned

log = logging.getLogger("portal.webhooks")

USER_AGENT = "Skaleringsportalen-Webhooks/1"


@dataclass
class SendResult:
    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def secrets_in_force(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    """The current secret, and the previous one while its grace period lasts."""
    found = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and until > now:
        found.append(endpoint.previous_secret)
    return found


def signed_headers(delivery: WebhookDelivery, endpoint: WebhookEndpoint, now: datetime):
    """The Standard Webhooks headers for one attempt: one ``v1,…`` signature per secret in
    force, separated by spaces."""
    signatures = " ".join(
        Webhook(secret).sign(delivery.message_id, now, delivery.body)
        for secret in secrets_in_force(endpoint, now)
    )
    return {
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def backoff(attempts: int, config) -> timedelta:
    """The pause after the ``attempts``-th failed attempt: doubling, capped."""
    base = config["WEBHOOKS_BACKOFF_SECONDS"]
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), config["WEBHOOKS_BACKOFF_MAX_SECONDS"])
    )


def attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> str:
    """Post the delivery once and record the outcome; returns its status. Flushes only."""
    config = current_app.config
    now = now or utcnow()
    endpoint = delivery.endpoint
    delivery.attempts = (delivery.attempts or 0) + 1
    delivery.last_attempt_at = now
    code, error = None, ""
    try:
        target = pinned(endpoint.url)  # checked again: the name may point elsewhere by now
        # signed at the real time (``now`` may be a test's clock for the schedule)
        headers = {**signed_headers(delivery, endpoint, utcnow()), "host": target.host}
        # A client per attempt: a pooled connection to the same address could carry
        # another name's TLS session.
        with _client(config) as client:
            response = client.post(
                target.url,
                content=delivery.body.encode(),
                headers=headers,
                extensions={"sni_hostname": target.sni} if target.sni else {},
            )
        code = response.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except RefusedTarget as refused:
        error = refused.message
    except httpx.TimeoutException:
        error = f"timeout after {config['WEBHOOKS_TIMEOUT_SECONDS']} s"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
    delivery.response_code = code
    delivery.last_error = error
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            DeliveryStatus.DELIVERED,
            now,
            None,
        )
        log.info("webhook %s delivered to endpoint %s", delivery.message_id, endpoint.id)
    elif delivery.attempts >= config["WEBHOOKS_MAX_ATTEMPTS"]:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        log.warning(
            "webhook %s to endpoint %s failed for good after %s attempts: %s",
            delivery.message_id,
            endpoint.id,
            delivery.attempts,
            error,
        )
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = now + backoff(delivery.attempts, config)
        log.info(
            "webhook %s attempt %s failed (%s); next at %s",
            delivery.message_id,
            delivery.attempts,
            error,
            delivery.next_attempt_at,
        )
    db.session.flush()
    return delivery.status.value


def _client(config) -> httpx.Client:
    # No proxies from the environment (the address checked is the one called) and no
    # redirects (a redirect could lead inside the network).
    return httpx.Client(
        timeout=config["WEBHOOKS_TIMEOUT_SECONDS"], follow_redirects=False, trust_env=False
    )


def _due(now: datetime, tried: list[int]) -> Select:
    stmt = select(WebhookDelivery).where(
        WebhookDelivery.status == DeliveryStatus.PENDING,
        WebhookDelivery.next_attempt_at <= now,
    )
    if tried:
        stmt = stmt.where(WebhookDelivery.id.not_in(tried))
    return (
        stmt.order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def send_due(
    limit: int = 100,
    *,
    now: datetime | None = None,
    after_each: Callable[[WebhookDelivery], None] | None = None,
) -> SendResult:
    """Attempt up to ``limit`` due deliveries, oldest first; never raises over a receiver.
    ``after_each`` runs after each (the worker commits there)."""
    now = now or utcnow()
    result = SendResult()
    tried: list[int] = []
    buckets = {"delivered": result.delivered, "failed": result.failed}
    while len(tried) < limit:
        delivery = db.session.scalar(_due(now, tried))
        if delivery is None:
            break
        tried.append(delivery.id)
        buckets.get(attempt(delivery, now=now), result.retrying).append(delivery.id)
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
