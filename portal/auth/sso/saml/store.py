"""One-time use, for every app process: a request's answer and an assertion are each
accepted once. Their IDs go into ``saml_messages`` with the primary key as the guard (a
second insert, by any process, fails) and stay until what they name has expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from portal.auth.sso.saml.models import SamlMessage, SamlMessageKind
from portal.db import db, utcnow


def use_once(kind: SamlMessageKind, message_id: str, until: datetime) -> bool:
    """Record ``message_id`` as used until ``until``; False when it was used before."""
    if not message_id or len(message_id) > 256:
        return False
    sweep()
    try:
        with db.session.begin_nested():
            db.session.add(SamlMessage(kind=kind, message_id=message_id, expires_at=until))
    except IntegrityError:
        return False
    return True


def sweep() -> None:
    """Forget what has expired (a request or an assertion past its time is refused anyway)."""
    db.session.execute(delete(SamlMessage).where(SamlMessage.expires_at <= utcnow()))
