"""Sending the outbox: SMTP when a mail server is configured, otherwise the log.

A message leaves the table only as *sent*: a failure (server down, refused, timed out)
counts an attempt, keeps the error and leaves the message for the next run, and the run
goes on with the others. Several app processes may send at once: each claims one row at a
time with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite has one writer anyway), so no
message goes out twice from two processes.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app
from sqlalchemy import Select, and_, func, select

from portal.db import db, utcnow
from portal.municipalities.models import Municipality
from portal.notifications.models import OutboxMessage

log = logging.getLogger("portal.mail")

SMTP_TIMEOUT = 20  # seconds per connection or command; a hung server must not hang a page
# ``last_error`` of a message that was written to the log for want of a mail server: it is
# logged once, and sent once a server is configured.
NO_SERVER = "no mail server configured: written to the log"

SENT, FAILED, LOGGED = "sent", "failed", "logged"


@dataclass
class DeliveryResult:
    sent: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    logged: list[OutboxMessage] = field(default_factory=list)
    waiting: int = 0  # unsent after the run (failed and logged ones included)


class _ServerDown(Exception):
    """The connection failed earlier in this run; the later messages are not tried again."""


class _Mailer:
    """One SMTP connection for a run, opened on the first message. A connection that cannot
    be made fails every message of the run at once (no minute-long wait per message)."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.down: str | None = None

    def send(self, email: EmailMessage) -> None:
        if self.down is not None:
            raise _ServerDown(self.down)
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as exc:
                self.down = describe(exc)
                raise
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # the server refused this message; the connection is still good
        except Exception:
            self.close()  # disconnected or worse: the next message connects again
            raise

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        smtp = smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"], timeout=SMTP_TIMEOUT)
        try:
            if c["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if c["SMTP_USER"]:
                smtp.login(c["SMTP_USER"], c["SMTP_PASSWORD"])
        except Exception:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except Exception:
                self.smtp.close()
            self.smtp = None


def describe(exc: BaseException) -> str:
    if isinstance(exc, _ServerDown):
        return str(exc)
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:2000]


def deliver_outbox(
    limit: int = 100,
    *,
    after_each: Callable[[OutboxMessage, str], None] | None = None,
) -> DeliveryResult:
    """Send up to ``limit`` unsent messages, oldest first; never raises over a mail failure.

    ``after_each(message, outcome)`` runs after each message (``sent``, ``failed`` or
    ``logged``): the CLI and the page commit there, so a sent message is recorded as sent
    at once and its row lock released. Without ``SMTP_HOST`` each message is written to the
    ``portal.mail`` log once and stays unsent.
    """
    config = current_app.config
    mailer = _Mailer(config) if config.get("SMTP_HOST") else None
    result = DeliveryResult()
    tried: list[int] = []
    try:
        while len(tried) < limit:
            message = _claim_next(tried, unlogged_only=mailer is None)
            if message is None:
                break
            tried.append(message.id)
            outcome = _log(message) if mailer is None else _send(mailer, message, config)
            getattr(result, outcome).append(message)
            db.session.flush()
            if after_each is not None:
                after_each(message, outcome)
    finally:
        if mailer is not None:
            mailer.close()
    result.waiting = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
    )
    return result


def _claim_next(tried: list[int], *, unlogged_only: bool) -> OutboxMessage | None:
    return db.session.scalar(_claim_statement(tried, unlogged_only=unlogged_only))


def _claim_statement(tried: list[int], *, unlogged_only: bool) -> Select:
    """The oldest unsent message not tried in this run, locked; rows another process holds
    are skipped rather than waited for."""
    stmt = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    if tried:
        stmt = stmt.where(OutboxMessage.id.not_in(tried))
    if unlogged_only:
        stmt = stmt.where(OutboxMessage.last_error != NO_SERVER)
    return (
        stmt.order_by(OutboxMessage.created_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


def _send(mailer: _Mailer, message: OutboxMessage, config) -> str:
    try:
        mailer.send(build_email(message, config))
    except Exception as exc:  # whatever went wrong, the message waits for the next run
        message.attempts = (message.attempts or 0) + 1
        message.last_error = describe(exc)
        log.warning(
            "e-mail #%s to %s not sent (attempt %s): %s",
            message.id,
            message.to_address,
            message.attempts,
            message.last_error,
        )
        return FAILED
    message.sent_at = utcnow()
    message.last_error = ""
    log.info("e-mail #%s sent to %s", message.id, message.to_address)
    return SENT


def _log(message: OutboxMessage) -> str:
    # WARNING, so it shows with Python's default logging too: this is the only copy outside
    # the table until a mail server is configured.
    log.warning(
        "e-mail #%s not sent (no mail server configured; SMTP_HOST is empty)\n"
        "To: %s\nSubject: %s\n\n%s",
        message.id,
        message.to_address,
        message.subject,
        message.body,
    )
    message.last_error = NO_SERVER
    return LOGGED


def build_email(message: OutboxMessage, config) -> EmailMessage:
    sender = config["MAIL_FROM"]
    domain = sender.rpartition("@")[2] or "localhost"
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    # Stable per message, so a retry after an unrecorded success can be recognised.
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    email.set_content(message.body)
    return email


# Reading the outbox ---------------------------------------------------------------------------

OUTBOX_FILTERS = {
    "waiting": and_(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts == 0),
    "failed": and_(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0),
    "sent": OutboxMessage.sent_at.is_not(None),
}


def outbox_listing(status: str = "") -> Select:
    """Messages with their municipality's name, newest first; ``status`` one of
    ``OUTBOX_FILTERS`` or empty for all."""
    stmt = (
        select(OutboxMessage, Municipality.name)
        .outerjoin(Municipality, Municipality.id == OutboxMessage.municipality_id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    if status in OUTBOX_FILTERS:
        stmt = stmt.where(OUTBOX_FILTERS[status])
    return stmt


def unsent() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )
