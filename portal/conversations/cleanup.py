"""Attachments' files go from the file store when what owns their thread goes.

The rows follow by themselves (``ON DELETE CASCADE`` from an application, a participation, a
reporting item, a round or a municipality down to the threads, messages and attachments);
the files in the shared store do not. One hook on the session, for every road by which
such an owner is deleted through the ORM (an approval taken back removes participations, a
changed schedule removes reporting items): before each flush, the attachments under what the
flush deletes are looked up, and their files removed —

- from the database store in the same transaction (they come back with a rollback);
- from a folder or S3 only after the commit (a rollback keeps rows and files together).

Bulk ``DELETE`` statements bypass the hook and remove their files themselves (the retention
of messages, ``portal.privacy.retention``).
"""

from __future__ import annotations

from sqlalchemy import event, or_, select

from portal import files
from portal.applications.models import Application
from portal.conversations.models import Attachment, Message, Thread
from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.models import ReportingRequirement

_GONE = "conversation_files_gone"  # session.info: keys to remove after the commit


def _ids(deleted, model) -> list[int]:
    return [obj.id for obj in deleted if isinstance(obj, model) and obj.id is not None]


def keys_under(deleted) -> list[str]:
    """The file keys of the attachments that deleting ``deleted`` (ORM objects) takes along."""
    ids = {model: _ids(deleted, model) for model in OWNERS}
    if not any(ids.values()):
        return []
    participations = ids[Participation]
    reports = select(ReportingRequirement.id).where(
        or_(
            ReportingRequirement.id.in_(ids[ReportingRequirement]),
            ReportingRequirement.participation_id.in_(participations),
        )
    )
    threads = select(Thread.id).where(
        or_(
            Thread.id.in_(ids[Thread]),
            Thread.application_id.in_(ids[Application]),
            Thread.participation_id.in_(participations),
            Thread.reporting_requirement_id.in_(reports),
            Thread.round_id.in_(ids[Round]),
            Thread.municipality_id.in_(ids[Municipality]),
        )
    )
    messages = select(Message.id).where(
        or_(Message.id.in_(ids[Message]), Message.thread_id.in_(threads))
    )
    return list(
        db.session.scalars(
            select(Attachment.key).where(
                or_(Attachment.id.in_(ids[Attachment]), Attachment.message_id.in_(messages))
            )
        )
    )


OWNERS = (Application, Participation, ReportingRequirement, Round, Municipality)
OWNERS += (Thread, Message, Attachment)


def _transactional(store) -> bool:
    from portal.files.database import DatabaseStore

    return isinstance(store, DatabaseStore)


def _before_flush(session, _context, _instances) -> None:
    if not session.deleted:
        return
    keys = keys_under(list(session.deleted))
    if not keys:
        return
    store = files.store()
    if _transactional(store):
        for key in keys:
            store.delete(key)
    else:
        session.info.setdefault(_GONE, []).extend(keys)


def _after_commit(session) -> None:
    keys = session.info.pop(_GONE, None)
    if not keys:
        return
    store = files.store()
    for key in keys:
        try:
            store.delete(key)
        except Exception:  # noqa: BLE001 - the rows are gone; an orphaned file is only space
            from flask import current_app

            current_app.logger.exception("attachment file %s could not be removed", key)


def _after_soft_rollback(session, previous) -> None:
    if previous.parent is None:  # the transaction itself, not a savepoint within it
        session.info.pop(_GONE, None)


def listen() -> None:
    """Once per process (the app factory)."""
    for name, func in (
        ("before_flush", _before_flush),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(db.session, name, func):
            event.listen(db.session, name, func)
