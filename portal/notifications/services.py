"""Telling municipalities what happened: a notice in the portal and an e-mail in the outbox,
written in the caller's transaction so nothing is lost when the mail server is down (the
sending is ``portal.notifications.outbox.deliver_outbox``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app, g, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from portal import access
from portal.auth.models import Role, User
from portal.db import db, utcnow
from portal.errors import NotAllowed
from portal.municipalities.models import Municipality
from portal.notifications import texts
from portal.notifications.models import Notification, OutboxMessage
from portal.notifications.permissions import can_mark_read
from portal.notifications.signals import notice_written

log = logging.getLogger(__name__)


def recently_notified(
    municipality_ids: Iterable[int], kind: str, link: str, within: timedelta
) -> set[int]:
    """Which of the municipalities got a notice of ``kind`` about ``link`` within the last
    ``within``: the service that debounces a toggled choice asks before notifying again."""
    ids = list(municipality_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Notification.municipality_id).where(
                Notification.municipality_id.in_(ids),
                Notification.kind == kind,
                Notification.link == link,
                Notification.created_at >= utcnow() - within,
            )
        )
    )


def notify(
    municipality_ids: list[int],
    kind: str,
    params: dict[str, Any] | None = None,
    *,
    link: str = "",
    extra_emails: list[str] | None = None,
) -> list[Notification]:
    """A notice for each municipality's users and an outbox e-mail to its active municipal
    users (and ``extra_emails``, e.g. the application's project lead), one per address.

    ``kind`` is one of ``notifications.texts.KINDS`` (application_submitted,
    application_decided, community_placed, joint_invitation, joint_confirmed,
    application_reopened, application_withdrawn, deadline_extended); ``params`` always hold
    ``round`` (the round's Danish name) and what the kind needs. ``link`` is a path in the
    portal (``/ansoegninger/5``); the e-mail ends with it, absolute when ``PORTAL_BASE_URL``
    is set. The e-mail is written in Danish; the notice in the reader's language when shown.
    Extra addresses are validated (an invalid one is logged and skipped) and counted for
    the first municipality. Flushes only.
    """
    stored = texts.storable(params)
    texts.ensure(kind, stored)
    ids = list(dict.fromkeys(i for i in municipality_ids if i is not None))
    link = _checked_link(link)
    notices = [
        Notification(municipality_id=mid, kind=kind, params=stored, link=link) for mid in ids
    ]
    db.session.add_all(notices)
    recipients = _recipients(ids, extra_emails or [])
    if recipients:
        subject, body = _email(kind, stored, link)
        db.session.add_all(
            OutboxMessage(municipality_id=mid, to_address=address, subject=subject, body=body)
            for address, mid in recipients.items()
        )
    db.session.flush()
    _forget_unread()
    notice_written.send(None, kind=kind, municipality_ids=ids, params=stored, link=link)
    return notices


def notify_user(user: User, kind: str, params: dict[str, Any], *, link: str = "") -> Notification:
    """A personal notice for one user, without an e-mail (e.g. their file is ready: they
    asked for it a moment ago). Flushes only."""
    stored = texts.storable(params)
    texts.ensure(kind, stored)
    notice = Notification(user_id=user.id, kind=kind, params=stored, link=_checked_link(link))
    db.session.add(notice)
    db.session.flush()
    _forget_unread()
    mine = [user.municipality_id] if user.municipality_id is not None else []
    notice_written.send(None, kind=kind, municipality_ids=mine, params=stored, link=notice.link)
    return notice


def notify_users(
    users: Iterable[User], kind: str, params: dict[str, Any], *, link: str = ""
) -> list[Notification]:
    """A personal notice and an outbox e-mail for each of these users (the coordinators
    told of a municipality's message, the reviewers told that an application they scored
    has changed), one e-mail per address. Flushes only."""
    stored = texts.storable(params)
    texts.ensure(kind, stored)
    link = _checked_link(link)
    people = {u.id: u for u in users if getattr(u, "active", True)}
    notices = [Notification(user_id=uid, kind=kind, params=stored, link=link) for uid in people]
    db.session.add_all(notices)
    addresses = dict.fromkeys(
        a for a in (valid_address(u.email) for u in people.values()) if a is not None
    )
    if addresses:
        subject, body = _email(kind, stored, link)
        db.session.add_all(
            OutboxMessage(municipality_id=None, to_address=a, subject=subject, body=body)
            for a in addresses
        )
    db.session.flush()
    _forget_unread()
    return notices


def _recipients(ids: list[int], extra_emails: Iterable[str]) -> dict[str, int | None]:
    """Address → municipality, in a stable order: each municipality's active municipal
    users, then the extra addresses; every address once."""
    found: dict[str, int | None] = {}
    if ids:
        rows = db.session.execute(
            select(User.email, User.municipality_id)
            .where(
                access.belonging_to(User, ids),
                User.role == Role.MUNICIPAL,
                User.active.is_(True),
            )
            .order_by(User.email)
        ).all()
        for mid in ids:
            for email, user_mid in rows:
                if user_mid == mid:
                    found.setdefault(email.lower(), mid)
    for raw in extra_emails:
        address = valid_address(raw)
        if address is None:
            log.warning("notification e-mail to an invalid address skipped: %r", raw)
            continue
        found.setdefault(address, ids[0] if ids else None)
    return found


def valid_address(raw: str | None) -> str | None:
    """The address lower-cased, or None when it is not a valid e-mail address."""
    candidate = (raw or "").strip()
    if not candidate or len(candidate) > 254:
        return None
    try:
        checked = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized.lower()


def _checked_link(link: str) -> str:
    """A path inside the portal, or nothing: a notice never links elsewhere."""
    if not link:
        return ""
    if link.startswith("/") and not link.startswith("//") and len(link) <= 300:
        return link
    if current_app.testing or current_app.debug:
        raise ValueError(f"a notification link must be a path in the portal, not {link!r}")
    log.error("notification link %r dropped: not a path in the portal", link)
    return ""


def absolute_link(link: str) -> str:
    base = current_app.config.get("PORTAL_BASE_URL", "")
    return f"{base}{link}" if link and base else link


SEE_MORE = _l("Se mere i Skaleringsportalen:")


def _email(kind: str, params: dict[str, Any], link: str) -> tuple[str, str]:
    """Subject and body in Danish, whatever language the acting user reads."""
    with force_locale("da"):
        subject, body = texts.email_texts(kind, params)
        if link:
            body += f"\n\n{SEE_MORE}\n{absolute_link(link)}"
    return subject[:300], body + "\n"


# Reading and marking ------------------------------------------------------------------------


def notices_for(user: User) -> Select:
    """The notices ``user`` may read with their municipality's name, newest first."""
    stmt = (
        select(Notification, Municipality.name)
        .outerjoin(Municipality, Municipality.id == Notification.municipality_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return access.visible(stmt, user, model=Notification)


def unread_count(user: User) -> int:
    """Unread notices of the user's municipality and their own (one query; none for users
    who keep no read marks), for the header: asked once a request (the page's ETag and its
    header both show it), afresh after the request makes a notice or marks one read."""
    counts = g.setdefault("unread_counts", {}) if has_request_context() else {}
    if user.id not in counts:
        statement = unread_query(user)
        counts[user.id] = (db.session.scalar(statement) or 0) if statement is not None else 0
    return counts[user.id]


def unread_query(user: User) -> Select | None:
    """The one-row query of ``unread_count`` (``None`` for users who keep no read marks),
    for a page that asks it together with its versions (``conditional.read_versions``)."""
    if not access.can(user, Notification, "change"):
        return None
    return access.kept_visible("unread", _unread, user, "change", Notification)


def _unread() -> Select:
    return select(func.count(Notification.id)).where(Notification.read_at.is_(None))


def remember_unread(user: User, count: int) -> None:
    """``count``, read with a page's versions, is this request's unread count."""
    g.setdefault("unread_counts", {})[user.id] = count or 0


def _forget_unread() -> None:
    if has_request_context():
        g.pop("unread_counts", None)


def _check_may_mark(actor: User, notice: Notification | None = None) -> None:
    if not (access.allows(actor, notice, "change") if notice is not None else can_mark_read(actor)):
        raise NotAllowed(_("Du kan kun markere jeres egen kommunes beskeder som læst."))


def mark_read(notice: Notification, *, actor: User) -> bool:
    """Mark one notice read for its municipality (a personal one for its user); False when
    it already was."""
    _check_may_mark(actor, notice)
    if notice.read_at is not None:
        return False
    notice.read_at = utcnow()
    db.session.flush()
    _forget_unread()
    return True


def mark_all_read(*, actor: User) -> int:
    """Mark every unread notice of the actor's municipality, and their own, read; how many
    were."""
    _check_may_mark(actor)
    result = db.session.execute(
        update(Notification)
        .where(
            access.condition(Notification, actor, "change"),
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    _forget_unread()
    return result.rowcount or 0
