"""The requests this browser sent and is waiting to have answered, in a cookie of its own
signed with the app's secret: each with its ID, where the person goes next and when it was
sent. A cookie of its own because the identity provider's answer arrives as a cross-site
POST, with which browsers do not send the session cookie (SameSite=Lax); nothing is written
to the database until an answer comes, so starting a login writes nothing."""

from __future__ import annotations

import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "portal_saml"
KEEP = 5  # requests of several tabs at once; older ones are dropped


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="saml-pending-requests")


def read(cookie: str | None, lifetime_seconds: int) -> dict[str, str | None]:
    """Request ID → next path, of the requests sent within ``lifetime_seconds``."""
    if not cookie:
        return {}
    try:
        entries = _serializer().loads(cookie)
    except BadSignature:
        return {}
    now = time.time()
    found = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, list) and len(entry) == 3 and now - entry[2] < lifetime_seconds:
            found[str(entry[0])] = entry[1] if isinstance(entry[1], str) else None
    return found


def add(cookie: str | None, request_id: str, next_path: str | None, lifetime_seconds: int) -> str:
    """The cookie's new value with ``request_id`` added."""
    entries = []
    if cookie:
        try:
            loaded = _serializer().loads(cookie)
            entries = [e for e in loaded if isinstance(e, list) and len(e) == 3]
        except BadSignature:
            entries = []
    now = time.time()
    entries = [e for e in entries if now - e[2] < lifetime_seconds][-(KEEP - 1) :]
    entries.append([request_id, next_path, now])
    return _serializer().dumps(entries)


def without(cookie: str | None, request_id: str) -> str:
    entries = []
    if cookie:
        try:
            entries = [e for e in _serializer().loads(cookie) if e[0] != request_id]
        except (BadSignature, TypeError, IndexError):
            entries = []
    return _serializer().dumps(entries)


def set_cookie(response, value: str, lifetime_seconds: int) -> None:
    secure = bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    response.set_cookie(
        COOKIE,
        value,
        max_age=lifetime_seconds,
        path="/sso/saml/",
        httponly=True,
        secure=secure,
        # the answer is a cross-site POST: None where the cookie is Secure (production);
        # Lax on a development machine over http, where None would be refused
        samesite="None" if secure else "Lax",
    )
