"""The retention table (``RETENTION`` in the configuration, days per kind) applied: each
kind's rule finds the rows past their time (``due``) and makes them anonymous (``apply``) —
names and contact details replaced, figures and decisions kept. A dry run lists the same
rows the real run changes (both go through ``plan``), and every run is recorded."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from portal import access, files
from portal.applications.models import Application, ApplicationStatus
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.conversations.models import Attachment, Message, Thread
from portal.db import db, utcnow
from portal.notifications.models import OutboxMessage
from portal.privacy.erasure import ERASED_DOMAIN, erase_person
from portal.privacy.models import RetentionRun
from portal.programmes.models import Round


@dataclass(frozen=True)
class Item:
    kind: str
    row_id: int
    what: str  # one line for the dry run's list (Danish)


@dataclass(frozen=True)
class Rule:
    kind: str
    label: Any  # what is kept (lazy Danish text, for the privacy notice)
    counted_from: Any  # from when the time runs
    due: Callable[[datetime], list[Item]]  # the rows past ``cutoff``
    apply: Callable[[Sequence[int]], None]


# Rejected applications' contact details -------------------------------------------------

CONTACT_FIELDS = (
    "project_lead_name",
    "project_lead_email",
    "project_owner_name",
    "project_owner_title",
)


def _rejected_due(cutoff: datetime) -> list[Item]:
    rows = db.session.execute(
        select(Application.id, Application.decided_at)
        .where(
            Application.status == ApplicationStatus.REJECTED,
            Application.decided_at < cutoff,
            or_(*(getattr(Application, f) != "" for f in CONTACT_FIELDS)),
        )
        .order_by(Application.id)
    )
    return [
        Item("rejected_application_contacts", id_, f"Ansøgning {id_} (afslået {at:%d.%m.%Y})")
        for id_, at in rows
    ]


def _rejected_apply(ids: Sequence[int]) -> None:
    db.session.execute(
        update(Application)
        .where(Application.id.in_(ids))
        .values(**dict.fromkeys(CONTACT_FIELDS, ""))
    )


# Inactive users -------------------------------------------------------------------------


def _inactive_due(cutoff: datetime) -> list[Item]:
    seen = func.coalesce(User.last_login_at, User.created_at)
    rows = db.session.execute(
        select(User.id, seen)
        .where(
            seen < cutoff,
            # those the gate lets keep the users (the operators): never the last way in
            User.role.not_in(access.roles_granted(User, "change")),
            ~User.email.like(f"%@{ERASED_DOMAIN}"),
        )
        .order_by(User.id)
    )
    return [
        Item("inactive_users", id_, f"Bruger {id_} (sidst set {at:%d.%m.%Y})") for id_, at in rows
    ]


def _inactive_apply(ids: Sequence[int]) -> None:
    for id_ in ids:
        erase_person(db.session.get(User, id_), actor=None, reason="retention")


# Sent e-mails ---------------------------------------------------------------------------


def _sent_due(cutoff: datetime) -> list[Item]:
    rows = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.sent_at)
        .where(OutboxMessage.sent_at < cutoff, OutboxMessage.to_address != "")
        .order_by(OutboxMessage.id)
    )
    return [Item("sent_emails", id_, f"E-mail {id_} (sendt {at:%d.%m.%Y})") for id_, at in rows]


def _sent_apply(ids: Sequence[int]) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids))
        .values(to_address="", subject="", body="", last_error="")
    )


# Messages, after the collaboration's end ------------------------------------------------


def _messages_due(cutoff: datetime) -> list[Item]:
    rows = db.session.execute(
        select(Message.id, Round.period_end)
        .join(Thread, Thread.id == Message.thread_id)
        .join(Round, Round.id == Thread.round_id)
        .where(Round.period_end < cutoff.date())
        .order_by(Message.id)
    )
    return [
        Item("messages", id_, f"Besked {id_} (samarbejdet sluttede {end:%d.%m.%Y})")
        for id_, end in rows
    ]


def _messages_apply(ids: Sequence[int]) -> None:
    """The messages go, with their attachments' files; the thread stays (empty), and so does
    the audit log's line of each message."""
    store = files.store()
    for key in db.session.scalars(select(Attachment.key).where(Attachment.message_id.in_(ids))):
        store.delete(key)
    db.session.execute(delete(Attachment).where(Attachment.message_id.in_(ids)))
    db.session.execute(delete(Message).where(Message.id.in_(ids)))


# The audit log --------------------------------------------------------------------------

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PERSONAL_KEYS = frozenset({"email", "name", "to", *CONTACT_FIELDS})


def _audit_due(cutoff: datetime) -> list[Item]:
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.at)
        .where(
            AuditEvent.at < cutoff,
            or_(AuditEvent.actor_id.is_not(None), AuditEvent.ip.is_not(None)),
        )
        .order_by(AuditEvent.id)
    )
    return [Item("audit_log", id_, f"Logpost {id_} ({at:%d.%m.%Y})") for id_, at in rows]


def pseudonym(user_id: int) -> str:
    """The same actor gets the same pseudonym, so patterns in an old log stay readable;
    without the secret key nobody can turn it back into a user."""
    seed = f"{current_app.config['SECRET_KEY']}:actor:{user_id}"
    return "aktør-" + hashlib.sha256(seed.encode()).hexdigest()[:10]


def _scrubbed(value: Any, key: str = "") -> Any:
    if key in PERSONAL_KEYS and value not in (None, ""):
        return "(fjernet)" if not isinstance(value, list) else ["(fjernet)" for _ in value]
    if isinstance(value, str):
        return EMAIL.sub("(e-mail fjernet)", value)
    if isinstance(value, dict):
        return {k: _scrubbed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, key) for v in value]
    return value


def _audit_apply(ids: Sequence[int]) -> None:
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.id.in_(ids))):
        details = _scrubbed(dict(event.details or {}))
        if event.actor_id is not None:
            details["actor"] = pseudonym(event.actor_id)
        event.details = details
        event.actor_id = None
        event.ip = None


RULES: tuple[Rule, ...] = (
    Rule(
        "rejected_application_contacts",
        _l("Kontaktoplysninger (projektleder og projektejer) i afslåede ansøgninger"),
        _l("efter afgørelsen"),
        _rejected_due,
        _rejected_apply,
    ),
    Rule(
        "inactive_users",
        _l(
            "Brugere, der ikke har logget ind (navn, e-mail); det, de har indtastet og besluttet, bevares under deres rolle"
        ),
        _l("efter seneste login"),
        _inactive_due,
        _inactive_apply,
    ),
    Rule(
        "sent_emails",
        _l("Kopier af sendte e-mails (modtager og indhold)"),
        _l("efter afsendelsen"),
        _sent_due,
        _sent_apply,
    ),
    Rule(
        "messages",
        _l("Beskeder mellem kommune og koordinator med bilag"),
        _l("efter samarbejdets afslutning"),
        _messages_due,
        _messages_apply,
    ),
    Rule(
        "audit_log",
        _l("Loggens oplysninger om, hvem der gjorde hvad fra hvilken adresse (pseudonymiseres)"),
        _l("efter hændelsen"),
        _audit_due,
        _audit_apply,
    ),
)


def cutoffs(now: datetime) -> dict[str, datetime]:
    days = current_app.config["RETENTION"]
    return {rule.kind: now - timedelta(days=days[rule.kind]) for rule in RULES}


def plan(now: datetime | None = None) -> list[Item]:
    """What is past its time at ``now``, kind by kind."""
    limits = cutoffs(now or utcnow())
    return [item for rule in RULES for item in rule.due(limits[rule.kind])]


def run(
    *, dry_run: bool, origin: str, now: datetime | None = None
) -> tuple[list[Item], RetentionRun]:
    """Apply (or, dry, only list) the retention table; records the run. Flushes; the caller
    commits."""
    items = plan(now)
    if not dry_run:
        for rule in RULES:
            ids = [i.row_id for i in items if i.kind == rule.kind]
            if ids:
                rule.apply(ids)
    record = RetentionRun(
        dry_run=dry_run, origin=origin, counts=dict(Counter(i.kind for i in items))
    )
    db.session.add(record)
    db.session.flush()
    return items, record


def notice() -> list[tuple[Any, int, Any]]:
    """The privacy notice's table: what, how many days, counted from when."""
    days = current_app.config["RETENTION"]
    return [(rule.label, days[rule.kind], rule.counted_from) for rule in RULES]
