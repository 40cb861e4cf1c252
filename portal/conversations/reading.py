"""Reading conversations: how far a person has read, what is unread, the inbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from portal import access
from portal.auth.models import User
from portal.conversations import labels
from portal.conversations.models import Message, Thread, ThreadKind, ThreadRead
from portal.conversations.subjects import Subject, subject_of_thread
from portal.db import db, one_trip


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


def unread_messages_query(user: User) -> Select | None:
    """The one-row count of the messages others wrote that ``user`` has not read, in every
    thread they may read (``None`` for a user who has no conversations): for the menu."""
    if not access.can(user, Thread, "read"):
        return None

    def build() -> Select:
        return (
            select(func.count(Message.id))
            .outerjoin(
                ThreadRead,
                and_(ThreadRead.thread_id == Message.thread_id, ThreadRead.user_id == user.id),
            )
            .where(_unread_where(user))
        )

    return access.kept_visible("conversation_unread", build, user, "read", Message)


def unread_messages(user: User) -> int:
    """``unread_messages_query``'s count, asked once a request, in the same round trip as the
    header's unread notices (which it then keeps for the header: no extra query)."""
    from portal.notifications.services import remember_unread, unread_query

    counts = g.setdefault("unread_messages", {}) if has_request_context() else {}
    if user.id not in counts:
        statement = unread_messages_query(user)
        if statement is None:
            counts[user.id] = 0
        else:
            notices = unread_query(user)
            rows = one_trip(statement, *((notices,) if notices is not None else ()))
            counts[user.id] = rows[0][0] or 0
            if notices is not None:
                remember_unread(user, rows[1][0])
    return counts[user.id]


def remember_unread_messages(user: User, count: int) -> None:
    """``count``, read with a page's versions (``conditional.read_versions``)."""
    g.setdefault("unread_messages", {})[user.id] = count or 0


def forget_unread_messages() -> None:
    """After marking read or writing: the menu's count is asked afresh."""
    if has_request_context():
        g.pop("unread_messages", None)


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
