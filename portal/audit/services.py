from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, select
from sqlalchemy.orm import aliased

from portal import access
from portal.audit.display import LogNames
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


def log_names(events) -> LogNames:
    """The names a page of log lines points at, read in at most four queries whatever the page holds:
    each figure line's indicator (by its round's programme and its key) with its unit, and the
    rounds, municipalities and communities a download or a job names by id. A name that is
    gone (the log outlives what it describes) is simply missing; the line then says the code."""
    from portal.i18n import localized
    from portal.participations.models import Community
    from portal.programmes.models import Indicator, Round

    details = [(e.round_id, e.details or {}) for e in events]
    keys = {(r, d["indicator"]) for r, d in details if r and isinstance(d.get("indicator"), str)}
    round_ids = {r for r, _ in keys} | {
        d["round_id"] for _, d in details if isinstance(d.get("round_id"), int)
    }
    rounds = (
        db.session.scalars(select(Round).where(Round.id.in_(round_ids))).all() if round_ids else []
    )
    programme_of = {r.id: r.programme_id for r in rounds}
    indicators = {}
    if keys:
        found = db.session.scalars(
            select(Indicator).where(
                Indicator.programme_id.in_(set(programme_of.values())),
                Indicator.key.in_({k for _, k in keys}),
            )
        )
        by_programme = {(i.programme_id, i.key): i for i in found}
        for round_id, key in keys:
            indicator = by_programme.get((programme_of.get(round_id), key))
            if indicator is not None:
                indicators[(round_id, key)] = (
                    localized(indicator, "name"),
                    localized(indicator, "unit"),
                )

    def named(model, key: str) -> dict[int, str]:
        ids = {d[key] for _, d in details if isinstance(d.get(key), int)}
        if not ids:
            return {}
        return dict(
            db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).tuples().all()
        )

    return LogNames(
        indicators=indicators,
        rounds={r.id: localized(r, "name") for r in rounds},
        municipalities=named(Municipality, "municipality_id"),
        communities=named(Community, "community_id"),
    )
