from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from portal import access
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.db import db
from portal.municipalities.models import Municipality


def of_participation(participation) -> dict[str, int | None]:
    """The municipality, round and application an audit line about a participation (or
    anything of it: a figure, a payment, a report) is filed under, for ``record``."""
    return {
        "municipality_id": participation.municipality_id,
        "round_id": participation.round_id,
        "application_id": participation.application_id,
    }


def record(
    action: str,
    *,
    actor=None,
    obj=None,
    municipality_id: int | None = None,
    round_id: int | None = None,
    application_id: int | None = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Append an audit line; flushed with the caller's transaction, never committed here."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        municipality_id=municipality_id,
        round_id=round_id,
        application_id=application_id,
        ip=ip,
        details=details,
    )
    db.session.add(event)
    return event


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that differ, as ``{field: [before, after]}``, for an audit line."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def listing(
    action: str = "",
    municipality_id: int | None = None,
    round_id: int | None = None,
    application_id: int | None = None,
) -> Select:
    """The log, newest first, with who did it, for which municipality and (for a line about a
    user) that user's name; optionally only
    the lines of one round or one application."""
    subject = aliased(User)  # the user a line is about (created, changed, deactivated)
    stmt = (
        select(AuditEvent, User.name, Municipality.name, subject.name)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Municipality, Municipality.id == AuditEvent.municipality_id)
        .outerjoin(
            subject, and_(AuditEvent.object_type == "User", subject.id == AuditEvent.object_id)
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if municipality_id:
        stmt = stmt.where(access.belonging_to(AuditEvent, municipality_id))
    if round_id:
        stmt = stmt.where(AuditEvent.round_id == round_id)
    if application_id:
        stmt = stmt.where(AuditEvent.application_id == application_id)
    return stmt


def actions() -> list[str]:
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
