"""A new secret shown once, after a redirect (Post/Redirect/Get): the create or rotate form
answers with a redirect to the secret's page, so reloading that page never posts again.

The secret itself stays encrypted on the endpoint; what lets the page open it is a one-time
code: random, kept in the user's session (which holds only the code, never the secret), its
SHA-256 on the endpoint with a short expiry. The page's first view by that session takes
the code, clears both and shows the secret; any later view (a reload, another tab, another
user) finds no code and says the secret was already shown.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import session

from portal.db import utcnow
from portal.webhooks.models import WebhookEndpoint
from portal.webhooks.sealing import unseal

SESSION_KEY = "webhook_secret_reveals"
VALID_FOR = timedelta(minutes=10)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def offer(endpoint: WebhookEndpoint, *, rotated: bool) -> None:
    """Let this session's next view of the secret page show the endpoint's new secret.
    Flushes nothing; the caller commits."""
    code = secrets.token_urlsafe(24)
    endpoint.secret_reveal_hash = _digest(code)
    endpoint.secret_reveal_until = utcnow() + VALID_FOR
    waiting = dict(session.get(SESSION_KEY) or {})
    waiting[str(endpoint.id)] = {"code": code, "rotated": rotated}
    session[SESSION_KEY] = waiting


def take(endpoint: WebhookEndpoint) -> tuple[str | None, bool]:
    """(the secret, whether it was a rotation) for this session's one view; (None, False)
    when there is nothing to show. Clears the code it used; the caller commits."""
    waiting = dict(session.get(SESSION_KEY) or {})
    mine = waiting.pop(str(endpoint.id), None)
    if mine is None:
        return None, False
    session[SESSION_KEY] = waiting
    stored, until = endpoint.secret_reveal_hash, endpoint.secret_reveal_until
    valid = (
        bool(stored)
        and until is not None
        and until > utcnow()
        and hmac.compare_digest(stored, _digest(str(mine.get("code", ""))))
    )
    if not valid and stored and until is not None and until > utcnow():
        return None, False  # another (older) code: the newer one may still be shown
    endpoint.secret_reveal_hash, endpoint.secret_reveal_until = "", None
    if not valid:
        return None, False
    return unseal(endpoint.secret_encrypted), bool(mine.get("rotated"))
