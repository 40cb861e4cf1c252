"""Deadlines: the round's, or a later one a coordinator gave one municipality; the minute of
the deadline counts (Copenhagen time, inclusive). Services flush; the caller commits."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import access
from portal.applications.models import DeadlineExtension
from portal.audit import services as audit
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed
from portal.links import path_for
from portal.municipalities.models import Municipality
from portal.notifications.services import notify
from portal.notifications.texts import round_names
from portal.programmes.models import Round, RoundStatus


def extension_for(round_: Round, municipality_id: int) -> DeadlineExtension | None:
    return db.session.scalar(
        select(DeadlineExtension).where(
            DeadlineExtension.round_id == round_.id,
            access.belonging_to(DeadlineExtension, municipality_id),
        )
    )


def deadline_for(round_: Round, municipality_id: int) -> datetime:
    """The round's deadline, or the later one a coordinator gave this municipality."""
    extension = extension_for(round_, municipality_id)
    if extension is not None and extension.until_at > round_.deadline_at:
        return extension.until_at
    return round_.deadline_at


def accepts_from(round_: Round, municipality_id: int, now: datetime | None = None) -> bool:
    """Open, begun, and the deadline minute (Copenhagen time, inclusive) not yet past for
    this municipality."""
    now = now or utcnow()
    minute = now.replace(second=0, microsecond=0)
    return (
        round_.status == RoundStatus.OPEN
        and round_.opens_at <= now
        and minute <= deadline_for(round_, municipality_id)
    )


def require_open(round_: Round, municipality_id: int, now: datetime | None) -> None:
    if not accepts_from(round_, municipality_id, now):
        raise NotAllowed(
            _l(
                "Forløbet tager ikke imod ansøgninger fra jeres kommune nu (fristen var"
                " %(deadline)s). Kontakt koordinatoren, hvis I har brug for en forlænget frist.",
                deadline=_local(deadline_for(round_, municipality_id)),
            )
        )


def _local(moment: datetime) -> str:
    from portal.i18n import local_datetime

    return local_datetime(moment)


def extend_deadline(
    round_: Round, municipality: Municipality, until_at: datetime, reason: str, *, actor
) -> DeadlineExtension:
    """A later deadline for one municipality (set again to move it; it must be later than the
    round's own deadline)."""
    if until_at <= round_.deadline_at:
        raise InvalidInput(
            _l(
                "Den forlængede frist skal ligge efter forløbets frist (%(deadline)s).",
                deadline=_local(round_.deadline_at),
            ),
            field="until_date",
        )
    if not reason.strip():
        raise InvalidInput(_l("Skriv en begrundelse."), field="reason")
    extension = extension_for(round_, municipality.id)
    before = extension.until_at.isoformat() if extension else None
    if extension is None:
        extension = DeadlineExtension(round_id=round_.id, municipality_id=municipality.id)
        db.session.add(extension)
    extension.until_at = until_at
    extension.reason = reason.strip()
    extension.created_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record(
        "deadline_extended",
        actor=actor,
        obj=extension,
        municipality_id=municipality.id,
        round_id=round_.id,
        until=[before, until_at.isoformat()],
        reason=extension.reason,
    )
    notify(
        [municipality.id],
        "deadline_extended",
        {**round_names(round_), "until": until_at},
        link=path_for("programmes.round_detail", slug=round_.slug),
    )
    return extension


def remove_extension(extension: DeadlineExtension, *, actor) -> None:
    audit.record(
        "deadline_extension_removed",
        actor=actor,
        obj=extension,
        municipality_id=extension.municipality_id,
        round_id=extension.round_id,
        until=extension.until_at.isoformat(),
    )
    db.session.delete(extension)
    db.session.flush()


def extensions_of_round(round_: Round) -> list[DeadlineExtension]:
    return list(
        db.session.scalars(
            select(DeadlineExtension)
            .options(selectinload(DeadlineExtension.municipality))
            .where(DeadlineExtension.round_id == round_.id)
            .order_by(DeadlineExtension.until_at)
        )
    )
