"""Conversations: a thread per application, participation and reporting item between the
municipality's users and the coordinators. Posting a message (with attachments checked by
their bytes, ``conversations.attachments``), marking a thread read, the inbox with unread
counts, and a coordinator's request for a correction, which reopens the application or the
report with the message as its reason. Who may read or write a thread is the access gate's
policy for ``Thread``. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import access, files
from portal.audit import services as audit
from portal.auth.models import User
from portal.conversations import attachments as checks
from portal.conversations.models import (
    MAX_MESSAGE,
    Attachment,
    Message,
    Thread,
    ThreadKind,
    ThreadRead,
)
from portal.conversations.reading import (  # noqa: F401  (the conversations' API)
    InboxRow,
    describe,
    forget_unread_messages,
    inbox,
    last_read,
    unread_counts,
    unread_messages,
)
from portal.conversations.subjects import (  # noqa: F401  (the conversations' API)
    COLUMN,
    Subject,
    from_municipality,
    may_ask_correction,
    may_read,
    may_write,
    subject_of_thread,
    thread_of,
)
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations
from portal.notifications.services import notify, notify_users
from portal.notifications.texts import round_names
from portal.textcheck import cpr_problems
from portal.xlsx_reading import Limits

EMPTY_MESSAGE = _l("Skriv en besked.")
TOO_LONG = _l("Beskeden må højst være %(max)s tegn.")
TOO_MANY_FILES = _l("Der kan højst vedhæftes %(max)s filer til en besked.")
NOT_YOURS = _l("Du kan ikke skrive i denne samtale.")
NO_CORRECTION = _l("Der kan kun bedes om rettelse af en ansøgning eller en rapport.")


@dataclass(frozen=True)
class Upload:
    stream: BinaryIO
    filename: str


def _checked_text(body: str) -> str:
    text = (body or "").strip()
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(TOO_LONG % {"max": MAX_MESSAGE}, field="body")
    problems = cpr_problems({"body": text})
    if problems:
        raise RuleViolations(problems)
    return text


def check_uploads(uploads: list[Upload]) -> list[checks.Checked]:
    """Every upload read (bounded) and checked before anything is written."""
    config = current_app.config
    most = int(config["ATTACHMENTS_PER_MESSAGE"])
    if len(uploads) > most:
        raise InvalidInput(TOO_MANY_FILES % {"max": most}, field="attachments")
    limits = Limits.from_config(config)
    max_bytes = int(config["ATTACHMENT_MAX_BYTES"])
    return [
        checks.check_upload(u.stream, u.filename, max_bytes=max_bytes, limits=limits)
        for u in uploads
    ]


def _thread_for(subject: Subject) -> Thread:
    thread = thread_of(subject)
    if thread is not None:
        return thread
    thread = Thread(
        kind=subject.kind,
        municipality_id=subject.municipality_id,
        round_id=subject.round.id,
        **{COLUMN[subject.kind].key: subject.obj.id},
    )
    try:
        with db.session.begin_nested():  # another request may open it at the same moment
            db.session.add(thread)
            db.session.flush()
    except IntegrityError:
        thread = thread_of(subject)
    return thread


def post_message(
    subject: Subject,
    body: str,
    uploads: list[Upload] | None = None,
    *,
    actor: User,
    ask_correction: bool = False,
) -> Message:
    """A message in the subject's thread (opened by the first one), its attachments in the
    file store, the author's own read mark moved past it, the other side told (a notice and
    an e-mail) and an audit line. With ``ask_correction`` (a coordinator, an application or
    a report) the subject is reopened with the message as its reason. Everything is checked
    before anything is written: a refused attachment stores nothing."""
    if not may_write(actor, subject):
        raise NotAllowed(NOT_YOURS)
    text = _checked_text(body)
    checked = check_uploads(list(uploads or []))
    if not text and not checked:
        raise InvalidInput(EMPTY_MESSAGE, field="body")
    if ask_correction:
        if not may_ask_correction(actor, subject):
            raise NotAllowed(NO_CORRECTION)
        if not text:
            raise InvalidInput(EMPTY_MESSAGE, field="body")
        _reopen(subject, text, actor)
    thread = _thread_for(subject)
    message = Message(
        thread=thread,
        municipality_id=subject.municipality_id,
        author_id=actor.id,
        from_municipality=from_municipality(actor),
        body=text,
        asks_correction=ask_correction,
    )
    db.session.add(message)
    db.session.flush()
    for n, upload in enumerate(checked):
        key = f"conversations/{thread.id}/{message.id}-{n}-{uuid.uuid4().hex[:12]}"
        files.store().put(key, upload.data)
        message.attachments.append(
            Attachment(
                municipality_id=subject.municipality_id,
                key=key,
                filename=upload.filename,
                content_type=upload.content_type,
                size=upload.size,
            )
        )
    thread.last_message_at = message.created_at or utcnow()
    db.session.flush()
    mark_read(thread, actor=actor)
    _tell_the_other_side(subject, message, actor)
    audit.record(
        "message_posted",
        actor=actor,
        obj=message,
        **_filed_under(subject),
        thread_id=thread.id,
        # one text, not a list: the log reads a list of two as "before → after"
        attachments="; ".join(f"{a.filename} ({a.size} B)" for a in message.attachments) or None,
        correction=ask_correction or None,
    )
    return message


def _filed_under(subject: Subject) -> dict[str, int | None]:
    application_id = {
        ThreadKind.APPLICATION: lambda o: o.id,
        ThreadKind.PARTICIPATION: lambda o: o.application_id,
        ThreadKind.REPORT: lambda o: o.participation.application_id,
    }[subject.kind](subject.obj)
    return {
        "municipality_id": subject.municipality_id,
        "round_id": subject.round.id,
        "application_id": application_id,
    }


def _reopen(subject: Subject, reason: str, actor: User) -> None:
    """The domain's own reopening, with the message as the reason."""
    if subject.kind == ThreadKind.APPLICATION:
        from portal.applications.services import reopen

        reopen(subject.obj, reason, actor=actor)
    else:
        from portal.reporting.services import reopen_report

        reopen_report(subject.obj, actor=actor)
    audit.record(
        "correction_requested",
        actor=actor,
        obj=subject.obj,
        **_filed_under(subject),
        reason=reason,
    )


def _coordinators() -> list[User]:
    roles = access.roles_granted(Thread, "correct")
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(roles), User.active.is_(True)).order_by(User.id)
        )
    )


def _tell_the_other_side(subject: Subject, message: Message, actor: User) -> None:
    params = {**round_names(subject.round), "thread": subject.kind.value}
    if message.from_municipality:
        params["municipality"] = subject.municipality_name
        notify_users(_coordinators(), "message_to_coordinators", params, link=subject.link)
        return
    if message.asks_correction and subject.kind == ThreadKind.APPLICATION:
        return  # the reopening told them already, with the message as the reason
    if message.asks_correction:
        params["correction"] = "1"
    notify([subject.municipality_id], "message_to_municipality", params, link=subject.link)


def mark_read(thread: Thread, *, actor: User) -> None:
    """Everything in the thread so far is read by ``actor`` (their mark alone)."""
    last = db.session.scalar(select(func.max(Message.id)).where(Message.thread_id == thread.id))
    row = db.session.get(ThreadRead, (thread.id, actor.id))
    if row is None:
        row = ThreadRead(thread_id=thread.id, user_id=actor.id, last_message_id=last or 0)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:
            row = db.session.get(ThreadRead, (thread.id, actor.id))
    row.last_message_id = max(row.last_message_id, last or 0)
    row.read_at = utcnow()
    db.session.flush()
    forget_unread_messages()  # the menu's count, asked afresh


def record_download(attachment: Attachment, *, actor: User) -> None:
    subject = subject_of_thread(attachment.message.thread)
    audit.record(
        "attachment_downloaded",
        actor=actor,
        obj=attachment,
        **_filed_under(subject),
        filename=attachment.filename,
    )
