"""What a conversation is about (``Subject``: an application, a participation or a
reporting item), whose it is, and who may read it, write in it or ask for a correction —
the access gate's policy for ``Thread``, asked for the subject's municipality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import access
from portal.applications.models import Application
from portal.auth.models import Role, User
from portal.conversations.models import Message, Thread, ThreadKind
from portal.db import db
from portal.links import path_for
from portal.participations.models import Participation
from portal.programmes.models import Round
from portal.reporting.models import ReportingRequirement

# The subject's foreign key on a thread, the subject's model and the pages of both.
COLUMN = {
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
        .where(COLUMN[subject.kind] == subject.obj.id)
        .options(
            selectinload(Thread.messages).selectinload(Message.attachments),
            selectinload(Thread.messages).selectinload(Message.author),
        )
    )
