"""``Authorization: Bearer …``: the token's creator acts, through the same gate as the pages
(``portal.access``) and never with more; a session cookie is never taken instead.

Checked before the request is read (``portal.api.before``): a request without a valid token
gets 401 whatever its body, one whose token lacks the route's scope 403."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _

from portal.api import tokens
from portal.api.limits import check_rate
from portal.api.problems import Problem
from portal.db import db

CHALLENGE = 'Bearer realm="skaleringsportalen"'


def _unauthorized(detail: str) -> Problem:
    return Problem("unauthorized", detail, headers={"WWW-Authenticate": CHALLENGE})


def authenticate(scope: str):
    """The token's user, with ``g.api_token`` set; a ``Problem`` otherwise."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise _unauthorized(_("Send nøglen som Authorization: Bearer <nøgle>."))
    token = tokens.find(secret)
    if token is None or tokens.state(token) != "active" or not token.user.active:
        raise _unauthorized(_("Nøglen er ukendt, udløbet eller tilbagekaldt."))
    granted = tokens.effective_scopes(token)
    if not granted:  # its creator lost the role that gave it anything
        raise _unauthorized(_("Nøglens ejer har ikke længere adgang."))
    check_rate(token.id)
    if scope not in granted:
        raise Problem(
            "forbidden",
            _("Nøglen har ikke området %(scope)s.", scope=scope),
            headers={
                "WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope", scope="{scope}"'
            },
        )
    tokens.touch(token, request.remote_addr)
    db.session.commit()
    g.api_token = token
    g.api_user = token.user
    return token.user


def api_user():
    return g.api_user


def api_token():
    return g.api_token
