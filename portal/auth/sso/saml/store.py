"""The requests sent and the assertions accepted, in the shared database (``SamlMessage``).

A request is answered once and only in the browser that sent it: its row carries the hash
of a random value kept in that browser's cookie, and taking it deletes it in one statement,
so two app processes cannot both accept an answer. An assertion's ID is inserted with the
primary key as the guard: a second insert, by any process, fails."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.auth.sso.saml.models import SamlMessage, SamlMessageKind
from portal.db import db, utcnow


def _digest(browser_secret: str) -> str:
    return hashlib.sha256(browser_secret.encode()).hexdigest()


def remember_request(
    request_id: str, browser_secret: str, next_path: str | None, lifetime: timedelta
) -> None:
    sweep()
    db.session.add(
        SamlMessage(
            kind=SamlMessageKind.REQUEST,
            message_id=request_id,
            browser=_digest(browser_secret),
            next_path=next_path,
            expires_at=utcnow() + lifetime,
        )
    )
    db.session.flush()


def take_request(request_id: str, browser_secret: str) -> tuple[bool, str | None]:
    """Whether ``request_id`` was a pending request of this browser, and where its user
    goes next; the request is removed (never sent, sent by another browser, answered
    already or expired: False)."""
    if not request_id or not browser_secret or len(request_id) > 256:
        return False, None
    taken = db.session.execute(
        delete(SamlMessage)
        .where(
            SamlMessage.kind == SamlMessageKind.REQUEST,
            SamlMessage.message_id == request_id,
            SamlMessage.browser == _digest(browser_secret),
            SamlMessage.expires_at > utcnow(),
        )
        .returning(SamlMessage.next_path)
        .execution_options(synchronize_session=False)
    ).all()
    return (True, taken[0][0]) if len(taken) == 1 else (False, None)


def use_assertion(assertion_id: str, until: datetime) -> bool:
    """Record ``assertion_id`` as used until ``until``; False when it was used before."""
    if not assertion_id or len(assertion_id) > 256:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                SamlMessage(
                    kind=SamlMessageKind.ASSERTION,
                    message_id=assertion_id,
                    browser="",
                    expires_at=until,
                )
            )
    except IntegrityError:
        return False
    return True


def sweep() -> None:
    """Forget what has expired (an assertion past its NotOnOrAfter is refused anyway)."""
    db.session.execute(delete(SamlMessage).where(SamlMessage.expires_at <= utcnow()))
