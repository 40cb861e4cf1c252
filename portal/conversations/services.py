"""Conversations: a thread per application, participation and reporting item between the
municipality's users and the coordinators. Posting a message (with attachments checked by
their bytes, ``conversations.attachments``), marking a thread read, the inbox with unread
counts, and a coordinator's request for a correction, which reopens the application or the
report with the message as its reason. Who may read or write a thread is the access gate's
policy for ``Thread``. Services flush; the caller commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import access, files
from portal.applications.models import Application
from portal.audit import services as audit
from portal.auth.models import Role, User
from portal.conversations import attachments as checks
from portal.conversations import labels
from portal.conversations.models import (
    MAX_MESSAGE,
    Attachment,
    Message,
    Thread,
    ThreadKind,
    ThreadRead,
)
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed, RuleViolations
from portal.links import path_for
from portal.notifications.services import notify, notify_users
from portal.notifications.texts import round_names
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.models import ReportingRequirement
from portal.textcheck import cpr_problems
from portal.xlsx_reading import Limits

# The subject's foreign key on a thread, and the page that shows the subject.
_COLUMN = {
    ThreadKind.APPLICATION: Thread.application_id,
    ThreadKind.PARTICIPATION: Thread.participation_id,
    ThreadKind.REPORT: Thread.reporting_requirement_id,
}
_MODEL = {
    ThreadKind.APPLICATION: Application,
    ThreadKind.PARTICIPATION: Participation,
    ThreadKind.REPORT: ReportingRequirement,
}
_PAGES = {
    ThreadKind.APPLICATION: ("applications.detail", "application_id"),
    ThreadKind.PARTICIPATION: ("participations.detail", "participation_id"),
    ThreadKind.REPORT: ("reporting.detail", "item_id"),
}
_THREAD_PAGES = {
    ThreadKind.APPLICATION: ("conversations.application", "application_id"),
    ThreadKind.PARTICIPATION: ("conversations.participation", "participation_id"),
    ThreadKind.REPORT: ("conversations.report", "item_id"),
}

EMPTY_MESSAGE = _l("Skriv en besked.")
TOO_LONG = _l("Beskeden må højst være %(max)s tegn.")
TOO_MANY_FILES = _l("Der kan højst vedhæftes %(max)s filer til en besked.")
NOT_YOURS = _l("Du kan ikke skrive i denne samtale.")
NO_CORRECTION = _l("Der kan kun bedes om rettelse af en ansøgning eller en rapport.")


@dataclass(frozen=True)
class Subject:
    """What a thread is about: the object, whose municipality it is, its round, its pages."""

    kind: ThreadKind
    obj: Any

    @property
    def municipality_id(self) -> int:
        return self.obj.municipality_id

    @property
    def municipality_name(self) -> str:
        owner = self.obj.participation if self.kind == ThreadKind.REPORT else self.obj
        return owner.municipality.name

    @property
    def round(self) -> Round:
        if self.kind == ThreadKind.REPORT:
            return self.obj.participation.round
        return self.obj.round

    @property
    def link(self) -> str:
        endpoint, arg = _THREAD_PAGES[self.kind]
        return path_for(endpoint, **{arg: self.obj.id})

    @property
    def page(self) -> str:
        endpoint, arg = _PAGES[self.kind]
        return path_for(endpoint, **{arg: self.obj.id})


def subject_of_thread(thread: Thread) -> Subject:
    kind = ThreadKind(thread.kind)
    ident = {
        ThreadKind.APPLICATION: thread.application_id,
        ThreadKind.PARTICIPATION: thread.participation_id,
        ThreadKind.REPORT: thread.reporting_requirement_id,
    }[kind]
    return Subject(kind, db.session.get(_MODEL[kind], ident))


# -- who may ---------------------------------------------------------------------------------


def may_read(user: User, subject: Subject) -> bool:
    return access.allows_rows_of(user, subject.municipality_id, Thread, "read")


def may_write(user: User, subject: Subject) -> bool:
    return access.allows_rows_of(user, subject.municipality_id, Thread, "change")


def may_ask_correction(user: User, subject: Subject) -> bool:
    return subject.kind != ThreadKind.PARTICIPATION and access.allows_rows_of(
        user, subject.municipality_id, Thread, "correct"
    )


def from_municipality(user: User) -> bool:
    """Whether the user writes on the municipality's side (anyone tied to it), not as a
    coordinator."""
    return user.municipality_id is not None and user.role != Role.COORDINATOR


# -- reading ---------------------------------------------------------------------------------


def thread_of(subject: Subject) -> Thread | None:
    return db.session.scalar(
        select(Thread)
        .where(_COLUMN[subject.kind] == subject.obj.id)
        .options(
            selectinload(Thread.messages).selectinload(Message.attachments),
            selectinload(Thread.messages).selectinload(Message.author),
        )
    )


def last_read(thread: Thread | None, user: User) -> int:
    if thread is None:
        return 0
    row = db.session.get(ThreadRead, (thread.id, user.id))
    return row.last_message_id if row is not None else 0


def _unread_where(user: User):
    return and_(
        or_(Message.author_id.is_(None), Message.author_id != user.id),
        Message.id > func.coalesce(ThreadRead.last_message_id, 0),
    )


def unread_counts(user: User, thread_ids: Iterable[int]) -> dict[int, int]:
    """Per thread, the messages others wrote after the last one ``user`` marked read."""
    ids = list(thread_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Message.thread_id, func.count(Message.id))
        .outerjoin(
            ThreadRead,
            and_(ThreadRead.thread_id == Message.thread_id, ThreadRead.user_id == user.id),
        )
        .where(Message.thread_id.in_(ids), _unread_where(user))
        .group_by(Message.thread_id)
    ).all()
    return {thread_id: count for thread_id, count in rows}


@dataclass
class InboxRow:
    thread: Thread
    subject: Subject
    title: str
    municipality: str
    unread: int
    last: Message | None


def inbox(user: User, limit: int = 200) -> list[InboxRow]:
    """The threads ``user`` may read, newest message first, with what is unread."""
    threads = list(
        db.session.scalars(
            access.visible(
                select(Thread)
                .options(selectinload(Thread.messages).selectinload(Message.author))
                .order_by(Thread.last_message_at.desc(), Thread.id.desc())
                .limit(limit),
                user,
            )
        )
    )
    unread = unread_counts(user, (t.id for t in threads))
    rows = []
    for thread in threads:
        subject = subject_of_thread(thread)
        last = thread.messages[-1] if thread.messages else None
        rows.append(
            InboxRow(
                thread=thread,
                subject=subject,
                title=describe(subject),
                municipality=subject.municipality_name,
                unread=unread.get(thread.id, 0),
                last=last,
            )
        )
    return rows


def describe(subject: Subject) -> str:
    """The thread's subject in one line: what it is about and in which round."""
    from portal.i18n import localized
    from portal.reporting.labels import item_label

    round_name = localized(subject.round, "name")
    if subject.kind == ThreadKind.REPORT:
        return f"{item_label(subject.obj)} · {round_name}"
    return f"{labels.thread_title(subject.kind)} · {round_name}"


# -- writing ---------------------------------------------------------------------------------


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
        **{_COLUMN[subject.kind].key: subject.obj.id},
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
        attachments=[f"{a.filename} ({a.size} B)" for a in message.attachments],
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


def record_download(attachment: Attachment, *, actor: User) -> None:
    subject = subject_of_thread(attachment.message.thread)
    audit.record(
        "attachment_downloaded",
        actor=actor,
        obj=attachment,
        **_filed_under(subject),
        filename=attachment.filename,
    )
