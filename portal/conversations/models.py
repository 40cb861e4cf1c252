"""A conversation between a municipality and the coordinators: one thread per application,
per participation and per reporting item, its messages, their attachments (the bytes in the
shared file store, ``portal.files``) and how far each person has read.

Every row carries the municipality whose conversation it is, so the access gate reads it as
it reads the rest of that municipality's data (``portal.access.policies``)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Base, UTCDateTime, enum_type, utcnow

MAX_MESSAGE = 10_000  # characters of one message


class ThreadKind(enum.StrEnum):
    APPLICATION = "application"
    PARTICIPATION = "participation"
    REPORT = "report"


class Thread(Base):
    """The conversation about one thing; exactly one of its three subjects is set."""

    __tablename__ = "conversation_threads"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN application_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN participation_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN reporting_requirement_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ThreadKind] = mapped_column(enum_type(ThreadKind, "thread_kind"))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    participation_id: Mapped[int | None] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), unique=True
    )
    reporting_requirement_id: Mapped[int | None] = mapped_column(
        ForeignKey("reporting_requirements.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    messages: Mapped[list[Message]] = relationship(
        back_populates="thread", order_by="Message.id", cascade="all, delete-orphan"
    )


class Message(Base):
    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Written by the municipality's side (else by a coordinator): whom to tell.
    from_municipality: Mapped[bool] = mapped_column(Boolean, default=True)
    body: Mapped[str] = mapped_column(String(MAX_MESSAGE), default="")
    # The coordinator asked for a correction with this message (it reopened the subject).
    asks_correction: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    thread: Mapped[Thread] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id", cascade="all, delete-orphan"
    )


class Attachment(Base):
    """A file sent with a message: its name as sent, the content type found in its bytes,
    its size, and its key in the shared file store."""

    __tablename__ = "conversation_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_messages.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(400))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments")


class ThreadRead(Base):
    """How far one person has read one thread: the last message they marked as read."""

    __tablename__ = "conversation_reads"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("conversation_threads.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_message_id: Mapped[int] = mapped_column(Integer, default=0)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
