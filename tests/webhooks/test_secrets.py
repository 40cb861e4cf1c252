"""Webhook secrets at rest: encrypted under the configured key (Fernet), rotated to a new key
by ``reseal``, encrypted by the migration from the plain columns, decrypted only to sign, and
never in the audit log or the logs."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from portal.audit.models import AuditEvent
from portal.config import ConfigError, load_config
from portal.db import db, make_engine
from portal.webhooks import services
from portal.webhooks.sealing import (
    UnreadableSecret,
    derived_key,
    new_key,
    parse_keys,
    seal,
    unseal,
)
from portal.webhooks.sending import send_due


def _endpoint(url, actor):
    endpoint, secret = services.create_endpoint(
        services.EndpointData(url=url, events=["application.submitted"]), actor=actor
    )
    db.session.commit()
    return endpoint, secret


def test_the_key_comes_from_the_setting_or_is_derived_from_secret_key(tmp_path):
    base = {"SECRET_KEY": "k" * 40}
    derived = load_config(tmp_path, base)["WEBHOOKS_SECRET_KEYS"]
    assert derived == [derived_key("k" * 40)]
    assert derived_key("k" * 40) != derived_key("j" * 40)  # a different SECRET_KEY, another key
    first, second = new_key(), new_key()
    keys = load_config(tmp_path, {**base, "WEBHOOKS_SECRET_KEY": f"{first}, {second}"})[
        "WEBHOOKS_SECRET_KEYS"
    ]
    assert keys == [first, second, derived_key("k" * 40)]  # the first encrypts
    with pytest.raises(ConfigError, match="WEBHOOKS_SECRET_KEY: key 2 is not a Fernet key"):
        load_config(tmp_path, {**base, "WEBHOOKS_SECRET_KEY": f"{first},hemmelig"})
    assert parse_keys("") == []


def test_production_says_when_the_key_is_derived(tmp_path, caplog):
    env = {"PORTAL_ENV": "production", "SECRET_KEY": "p" * 40, "DATABASE_URL": "sqlite://"}
    with caplog.at_level(logging.WARNING, logger="portal.config"):
        load_config(tmp_path, env)
    assert "WEBHOOKS_SECRET_KEY is not set" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.config"):
        load_config(tmp_path, {**env, "WEBHOOKS_SECRET_KEY": new_key()})
    assert "WEBHOOKS_SECRET_KEY" not in caplog.text


def test_stored_encrypted_signed_with_the_plain_secret_never_logged_or_audited(
    app, receiver, coordinator, caplog
):
    with caplog.at_level(logging.DEBUG):
        endpoint, secret = _endpoint(receiver.url, coordinator)
        receiver.secret = secret
        stored = db.session.execute(
            select(type(endpoint).secret_encrypted).where(type(endpoint).id == endpoint.id)
        ).scalar_one()
        assert secret not in stored and unseal(stored) == secret
        rotated = services.rotate_secret(endpoint, actor=coordinator)
        db.session.commit()
        services.send_test(endpoint, actor=coordinator)
        db.session.commit()
        send_due()
    (got,) = receiver.received
    for each in (secret, rotated):  # both sign during the grace period
        assert Webhook(each).verify(got.body, got.headers)["type"] == "webhook.test"
    audited = json.dumps([e.details for e in db.session.scalars(select(AuditEvent))])
    for each in (secret, rotated):
        assert each not in audited and each not in caplog.text
        assert each.removeprefix("whsec_") not in audited + caplog.text


def test_a_new_key_first_then_reseal_rotates_the_key(app, monkeypatch, coordinator):
    old_keys = list(app.config["WEBHOOKS_SECRET_KEYS"])
    endpoint, secret = _endpoint("https://93.184.215.14/hook", coordinator)
    fresh = new_key()
    monkeypatch.setitem(app.config, "WEBHOOKS_SECRET_KEYS", [fresh, *old_keys])
    assert unseal(endpoint.secret_encrypted) == secret  # the old key still decrypts
    assert services.reseal_all() == 1
    db.session.commit()
    assert unseal(endpoint.secret_encrypted, [fresh]) == secret  # the new key alone suffices
    with pytest.raises(UnreadableSecret):
        unseal(endpoint.secret_encrypted, old_keys)


def test_an_unreadable_secret_fails_the_attempt_without_saying_the_secret(
    app, monkeypatch, receiver, coordinator
):
    endpoint, _secret = _endpoint(receiver.url, coordinator)
    services.send_test(endpoint, actor=coordinator)
    db.session.commit()
    monkeypatch.setitem(app.config, "WEBHOOKS_SECRET_KEYS", [new_key()])  # the key was lost
    result = send_due()
    assert result.retrying and not receiver.received
    delivery = endpoint.deliveries[0]
    assert "cannot be decrypted" in delivery.last_error


def test_the_migration_encrypts_the_plain_secrets_and_the_downgrade_opens_them(
    app, fresh_database_url
):
    from portal.migrate import upgrade

    engine = make_engine(fresh_database_url("webhook_secrets"))
    try:
        upgrade(engine, "k37_retention_runs")
        plain, previous = "whsec_" + "B" * 32, "whsec_" + "C" * 32
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO webhook_endpoints (id, url, description, events, active, secret,"
                " previous_secret, created_at, updated_at) VALUES (1, 'https://x.dk/h', '',"
                f" '[]', true, '{plain}', '{previous}', '2026-12-01', '2026-12-01')"
            )
        upgrade(engine, "head")
        with engine.connect() as connection:
            current, before, reveal = connection.exec_driver_sql(
                "SELECT secret_encrypted, previous_secret_encrypted, secret_reveal_hash"
                " FROM webhook_endpoints"
            ).one()
        assert plain not in current and unseal(current) == plain and unseal(before) == previous
        assert reveal == ""
        from alembic import command

        from portal.migrate import alembic_config

        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "k37_retention_runs")
        with engine.connect() as connection:
            back = connection.exec_driver_sql(
                "SELECT secret, previous_secret FROM webhook_endpoints"
            ).one()
        assert tuple(back) == (plain, previous)
    finally:
        engine.dispose()


def test_sealing_leaves_no_secret_empty_and_never_repeats_a_ciphertext(app):
    assert seal("") == "" and unseal("") == ""
    assert seal("whsec_x") != seal("whsec_x")  # a fresh IV each time
