"""Deliveries to a real receiver on 127.0.0.1: signatures it verifies with the library, a
replay it refuses, retries with a doubling pause, the final failure, send again, and a
rotated secret that keeps verifying through its grace period."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from portal.audit.models import AuditEvent
from portal.db import db, utcnow
from portal.webhooks import services
from portal.webhooks.models import DeliveryStatus
from portal.webhooks.sending import CLAIM_MARGIN, claim, send_due, signed_headers
from tests.webhooks.conftest import BACKOFF, TIMEOUT


def _endpoint(receiver, actor, events=("application.submitted",)):
    endpoint, secret = services.create_endpoint(
        services.EndpointData(url=receiver.url, events=list(events)), actor=actor
    )
    receiver.secret = secret
    db.session.commit()
    return endpoint


def _test_delivery(endpoint, actor):
    delivery = services.send_test(endpoint, actor=actor)
    db.session.commit()
    return delivery


def test_a_delivery_is_signed_by_standard_webhooks_and_verified_by_the_receiver(
    receiver, coordinator
):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)

    result = send_due()

    assert result.delivered == [delivery.id]
    assert delivery.status == DeliveryStatus.DELIVERED
    assert (delivery.attempts, delivery.response_code) == (1, 204)
    (got,) = receiver.received
    assert got.status == 204
    assert got.headers["webhook-id"] == delivery.message_id
    assert got.headers["webhook-signature"].startswith("v1,")
    assert receiver.accepted[0]["type"] == "webhook.test"
    assert receiver.accepted[0]["data"]["endpoint_id"] == endpoint.id
    # the body is sent exactly as stored: what was signed is what arrived
    assert got.body.decode() == delivery.body


def test_the_receiver_refuses_a_replay_of_the_same_id_and_an_old_timestamp(receiver, coordinator):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    send_due()
    (first,) = receiver.received

    again = httpx.post(receiver.url, content=first.body, headers=first.headers, timeout=5)
    assert again.status_code == 409  # the same webhook-id, correctly signed: a replay

    old = signed_headers(
        "msg_never_seen", delivery.body, [receiver.secret], utcnow() - timedelta(minutes=10)
    )
    late = httpx.post(receiver.url, content=first.body, headers=old, timeout=5)
    assert late.status_code == 401  # the library refuses a timestamp past its tolerance
    assert len(receiver.accepted) == 1


def test_a_failing_receiver_is_retried_with_a_doubling_pause_until_it_answers(
    receiver, coordinator
):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    receiver.plan = [500, ("sleep", 1.0)]  # an error, then longer than the 0.3 s timeout
    t0 = utcnow()

    assert send_due(now=t0).retrying == [delivery.id]
    assert (delivery.attempts, delivery.response_code) == (1, 500)
    assert delivery.next_attempt_at == t0 + timedelta(seconds=BACKOFF)
    assert delivery.last_error == "HTTP 500"

    # not due yet: nothing is sent
    assert send_due(now=t0 + timedelta(seconds=BACKOFF - 1)).retrying == []
    assert len(receiver.received) == 1

    t1 = t0 + timedelta(seconds=BACKOFF)
    assert send_due(now=t1).retrying == [delivery.id]
    assert delivery.attempts == 2 and delivery.response_code is None
    assert "timeout" in delivery.last_error
    assert delivery.next_attempt_at == t1 + timedelta(seconds=2 * BACKOFF)

    t2 = t1 + timedelta(seconds=2 * BACKOFF)
    assert send_due(now=t2).delivered == [delivery.id]
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3 and delivery.last_error == ""
    # every attempt carried the same webhook-id, so a receiver can take it once
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert ids == {delivery.message_id}


def test_a_delivery_fails_for_good_after_the_last_attempt(receiver, coordinator, app):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    receiver.plan = [503] * 10
    now = utcnow()
    for _ in range(app.config["WEBHOOKS_MAX_ATTEMPTS"]):
        send_due(now=now)
        now += timedelta(hours=7)  # past any pause

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == app.config["WEBHOOKS_MAX_ATTEMPTS"]
    assert delivery.next_attempt_at is None
    assert send_due(now=now + timedelta(days=1)).failed == []
    assert len(receiver.received) == app.config["WEBHOOKS_MAX_ATTEMPTS"]


def test_send_again_gives_a_failed_delivery_a_fresh_round_under_the_same_id(
    receiver, coordinator, app
):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    app.config["WEBHOOKS_MAX_ATTEMPTS"] = 1
    receiver.plan = [500]
    send_due()
    assert delivery.status == DeliveryStatus.FAILED

    services.send_again(delivery, actor=coordinator)
    db.session.commit()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert send_due().delivered == [delivery.id]
    assert [r.headers["webhook-id"] for r in receiver.received] == [delivery.message_id] * 2
    assert db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "webhook_resent", AuditEvent.object_id == delivery.id
        )
    )


def test_a_rotated_secret_and_the_old_one_both_verify_during_the_grace_period(
    receiver, coordinator
):
    endpoint = _endpoint(receiver, coordinator)
    old_secret = receiver.secret
    new_secret = services.rotate_secret(endpoint, actor=coordinator)
    db.session.commit()
    assert new_secret != old_secret and new_secret.startswith("whsec_")
    _test_delivery(endpoint, coordinator)
    send_due()  # the receiver still holds the old secret: accepted
    assert len(receiver.accepted) == 1

    (got,) = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    for secret in (old_secret, new_secret):  # each secret alone verifies
        assert Webhook(secret).verify(got.body, got.headers)["type"] == "webhook.test"

    # after the grace period only the new secret signs
    endpoint.previous_secret_until = utcnow() - timedelta(seconds=1)
    receiver.secret = new_secret
    _test_delivery(endpoint, coordinator)
    send_due()
    last = receiver.received[-1]
    assert last.status == 204 and len(last.headers["webhook-signature"].split(" ")) == 1
    try:
        Webhook(old_secret).verify(last.body, last.headers)
        raise AssertionError("the old secret still verified after its grace period")
    except WebhookVerificationError:
        pass
    assert json.loads(last.body)["type"] == "webhook.test"


def test_the_send_command_delivers_what_is_due(receiver, coordinator, app):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    result = app.test_cli_runner().invoke(args=["webhooks", "send"])
    assert result.exit_code == 0, result.output
    assert f"delivered: {delivery.message_id} (webhook.test)" in result.output
    assert "Leveret: 1. Prøves igen: 0. Fejlet: 0." in result.output
    assert len(receiver.accepted) == 1


def test_a_claim_left_by_a_killed_worker_falls_due_again_by_itself(receiver, coordinator):
    endpoint = _endpoint(receiver, coordinator)
    delivery = _test_delivery(endpoint, coordinator)
    t0 = utcnow()
    assert claim(t0, []).delivery_id == delivery.id  # ... and the worker dies posting it
    assert (delivery.attempts, delivery.status) == (1, DeliveryStatus.PENDING)

    assert send_due(now=t0 + timedelta(seconds=30)).delivered == []  # still claimed
    later = t0 + timedelta(seconds=TIMEOUT) + CLAIM_MARGIN
    assert send_due(now=later).delivered == [delivery.id]
    assert delivery.attempts == 2 and len(receiver.accepted) == 1
