"""API tokens: made with a name, scopes and an expiry, shown once and stored as a hash,
listed with their last use and address, revoked; a token unused for a year expires.

Who may hold tokens and which scopes they may have is the gate's answer (``portal.access``):
``read`` for a user who reads participations, ``write:figures`` for one who records figures.
The scopes are checked again on every request against the creator's role *now*, so a
creator who lost a role gets less, and a deactivated creator nothing.

The secret is 32 random bytes (``secrets``); what is kept is its SHA-256, which suffices for
a random secret (no password to stretch), and its first characters to tell tokens apart.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal import access
from portal.api.models import ApiToken
from portal.audit import services as audit
from portal.benefits.models import Measurement
from portal.db import db, utcnow
from portal.errors import InvalidInput, NotAllowed
from portal.participations.models import Participation

PREFIX = "skp_"
READ = "read"
WRITE_FIGURES = "write:figures"
SCOPES = (READ, WRITE_FIGURES)
SCOPE_LABELS = {
    READ: _l("Læse forløb, deltagelser, tal og fremdrift"),
    WRITE_FIGURES: _l("Indberette tal (basislinje, mål, målinger, omkostninger)"),
}
UNUSED_FOR = timedelta(days=365)  # a token unused this long expires
EXPIRY_DAYS = (30, 90, 365)  # the choices on the page (and none: only the year unused)
TOUCH_EVERY = timedelta(seconds=60)  # last use written at most this often per address
MAX_NAME = 100


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def allowed_scopes(user) -> tuple[str, ...]:
    """The scopes the gate grants this user's role today."""
    if not access.can(user, ApiToken, "change"):
        return ()
    granted = []
    if access.can(user, Participation, "read"):
        granted.append(READ)
    if access.can(user, Measurement, "change"):
        granted.append(WRITE_FIGURES)
    return tuple(granted)


def may_hold_tokens(user) -> bool:
    return bool(allowed_scopes(user))


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    secret: str  # shown once, never stored


def issue(user, name: str, scopes, expires_in_days: int | None) -> Issued:
    """A new token for ``user``; its secret is in the answer and nowhere else."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_l("Giv nøglen et navn."), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_l("Navnet er for langt (højst 100 tegn)."), field="name")
    scopes = [s for s in SCOPES if s in set(scopes or ())]
    if not scopes:
        raise InvalidInput(_l("Vælg mindst ét område."), field="scopes")
    granted = allowed_scopes(user)
    if not set(scopes) <= set(granted):
        raise NotAllowed(_l("Du kan ikke give en nøgle adgang til mere, end du selv har."))
    if expires_in_days is not None and expires_in_days not in EXPIRY_DAYS:
        raise InvalidInput(_l("Vælg en udløbstid."), field="expires")
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        name=name,
        prefix=secret[:12],
        token_hash=digest(secret),
        scopes=" ".join(scopes),
        user_id=user.id,
        municipality_id=user.municipality_id,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token_created",
        actor=user,
        obj=token,
        municipality_id=user.municipality_id,
        name=name,
        scopes=token.scopes,
    )
    return Issued(token, secret)


def revoke(token: ApiToken, *, actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(
            "api_token_revoked",
            actor=actor,
            obj=token,
            municipality_id=token.municipality_id,
            name=token.name,
        )


def expires_on(token: ApiToken) -> datetime:
    """When the token stops working unless it is used: its own expiry, or a year after its
    last use, whichever comes first."""
    unused = (token.last_used_at or token.created_at) + UNUSED_FOR
    return min(unused, token.expires_at) if token.expires_at else unused


def state(token: ApiToken, now: datetime | None = None) -> str:
    """``active``, ``revoked`` or ``expired``."""
    now = now or utcnow()
    if token.revoked_at is not None:
        return "revoked"
    if expires_on(token) <= now:
        return "expired"
    return "active"


def find(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))


def effective_scopes(token: ApiToken) -> set[str]:
    """The token's scopes that its creator still holds."""
    return set(token.scope_list) & set(allowed_scopes(token.user))


def touch(token: ApiToken, address: str | None) -> None:
    """Keep the last use and its address (at most once a minute per address)."""
    now = utcnow()
    if (
        token.last_used_at is None
        or now - token.last_used_at >= TOUCH_EVERY
        or token.last_used_ip != address
    ):
        token.last_used_at = now
        token.last_used_ip = (address or "")[:45] or None


def listing(user):
    """The tokens the user may see, newest first."""
    stmt = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(db.session.scalars(access.visible(stmt, user)))
