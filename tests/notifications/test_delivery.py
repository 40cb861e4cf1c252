"""deliver_outbox(): SMTP when configured, retries after a failure, the log without a server;
a mail failure never reaches the caller and never loses a message."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql

from portal.db import db, utcnow
from portal.notifications import outbox as mail
from portal.notifications.models import OutboxMessage
from portal.notifications.outbox import NO_SERVER, deliver_outbox
from tests.conftest import municipality


def queue(*addresses: str) -> list[OutboxMessage]:
    """Messages created one minute apart, the first the oldest."""
    start = utcnow() - timedelta(hours=1)
    messages = [
        OutboxMessage(
            municipality_id=municipality(101).id,
            to_address=address,
            subject=f"Emne {n}",
            body=f"Tekst {n}\n",
            created_at=start + timedelta(minutes=n),
        )
        for n, address in enumerate(addresses)
    ]
    db.session.add_all(reversed(messages))  # inserted newest first: order is by time
    db.session.flush()
    return messages


def test_sends_oldest_first_over_one_authenticated_connection(smtp):
    first, second = queue("a@kk.dk", "b@kk.dk")
    result = deliver_outbox()
    assert [m.id for m in result.sent] == [first.id, second.id]
    assert (result.failed, result.logged, result.waiting) == ([], [], 0)
    assert [e["To"] for e in smtp.sent] == ["a@kk.dk", "b@kk.dk"]
    email = smtp.sent[0]
    assert email["From"] == "skaleringsportalen@kl.example.dk"
    assert email["Subject"] == "Emne 0"
    assert email["Message-ID"] == f"<outbox-{first.id}@kl.example.dk>"
    assert email.get_content() == "Tekst 0\n"
    assert (smtp.connections, smtp.starttls, smtp.logins) == (1, 1, [("portal", "hemmelig")])
    assert first.sent_at is not None and first.attempts == 0 and first.last_error == ""


def test_starttls_and_login_follow_the_configuration(smtp, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_STARTTLS", False)
    monkeypatch.setitem(app.config, "SMTP_USER", "")
    queue("a@kk.dk")
    deliver_outbox()
    assert (smtp.starttls, smtp.logins, len(smtp.sent)) == (0, [], 1)


def test_a_server_that_is_down_loses_nothing_and_the_retry_sends(smtp):
    first, second = queue("a@kk.dk", "b@kk.dk")
    smtp.down = True
    result = deliver_outbox()  # never raises
    assert [m.id for m in result.failed] == [first.id, second.id]
    assert result.sent == [] and result.waiting == 2
    assert smtp.connections == 1  # one try per run, not one wait per message
    for message in (first, second):
        assert message.sent_at is None and message.attempts == 1
        assert "Connection refused" in message.last_error

    deliver_outbox()
    assert first.attempts == second.attempts == 2

    smtp.down = False
    result = deliver_outbox()
    assert [m.id for m in result.sent] == [first.id, second.id] and result.waiting == 0
    assert first.sent_at is not None and first.last_error == "" and first.attempts == 2
    assert deliver_outbox().sent == []  # sent is sent: nothing goes twice


def test_a_refused_message_waits_and_the_others_go_on(smtp):
    refused, fine = queue("ukendt@kk.dk", "b@kk.dk")
    smtp.refuse = {"ukendt@kk.dk"}
    result = deliver_outbox()
    assert result.failed == [refused] and result.sent == [fine]
    assert refused.attempts == 1 and "SMTPRecipientsRefused" in refused.last_error
    assert fine.sent_at is not None


def test_limit_and_after_each(smtp):
    messages = queue("a@kk.dk", "b@kk.dk", "c@kk.dk")
    seen = []
    result = deliver_outbox(2, after_each=lambda m, outcome: seen.append((m.id, outcome)))
    assert seen == [(messages[0].id, "sent"), (messages[1].id, "sent")]
    assert result.waiting == 1 and messages[2].sent_at is None


def test_without_a_mail_server_each_message_is_logged_once_and_kept(caplog):
    first, second = queue("a@kk.dk", "b@kk.dk")
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        result = deliver_outbox()
    assert [m.id for m in result.logged] == [first.id, second.id] and result.waiting == 2
    logged = [r for r in caplog.records if r.name == "portal.mail"]
    assert len(logged) == 2
    assert "To: a@kk.dk" in logged[0].getMessage() and "Tekst 0" in logged[0].getMessage()
    assert first.sent_at is None and first.attempts == 0 and first.last_error == NO_SERVER

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        again = deliver_outbox()
    assert again.logged == [] and again.waiting == 2
    assert [r for r in caplog.records if r.name == "portal.mail"] == []


def test_logged_messages_are_sent_once_a_server_is_configured(smtp, app, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "")
    [message] = queue("a@kk.dk")
    deliver_outbox()
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.kl.example.dk")
    assert deliver_outbox().sent == [message] and message.last_error == ""


def test_rows_are_claimed_one_at_a_time_skipping_locked_ones():
    sql = str(
        mail._claim_statement([1, 2], unlogged_only=False).compile(dialect=postgresql.dialect())
    )
    assert "FOR UPDATE SKIP LOCKED" in sql and "LIMIT" in sql


def test_a_row_another_process_holds_is_skipped(smtp):
    """PostgreSQL: a message locked by another sender is left to it, the next one is sent."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite has a single writer)")
    table = OutboxMessage.__table__
    other_process, holder = db.engine.connect(), db.engine.connect()
    try:
        with other_process.begin():
            ids = [
                other_process.execute(
                    table.insert()
                    .values(
                        to_address=address,
                        subject="Låst" if n == 0 else "Fri",
                        body="x",
                        created_at=utcnow() - timedelta(days=1, minutes=-n),
                        attempts=0,
                        last_error="",
                    )
                    .returning(table.c.id)
                ).scalar_one()
                for n, address in enumerate(["laast@kk.dk", "fri@kk.dk"])
            ]
        locked = holder.begin()
        holder.execute(select(table.c.id).where(table.c.id == ids[0]).with_for_update())
        result = deliver_outbox()
        assert [m.id for m in result.sent] == [ids[1]]
        assert [e["To"] for e in smtp.sent] == ["fri@kk.dk"]
        locked.rollback()
        db.session.rollback()  # our savepoint: releases the lock on the sent row
    finally:
        with other_process.begin():
            other_process.execute(table.delete().where(table.c.id.in_(ids)))
        other_process.close()
        holder.close()
