"""Finishing a single sign-on, whichever protocol brought the person: the throttle, the
mapping, the session, the audit line and the refusal page.

An adapter calls ``remember_next()`` when it sends the person to the provider, and
``finish_login(identity)`` (or ``refuse(refused)`` for a failed protocol check) when they
come back.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import login_user
from sqlalchemy.exc import IntegrityError

from portal.audit import services as audit
from portal.auth import services
from portal.auth.sso import configured_providers
from portal.auth.sso.identity import ExternalIdentity, Refused
from portal.auth.sso.mapping import admit, record_refusal
from portal.db import db

bp = Blueprint("sso", __name__, url_prefix="/sso")
NEXT_KEY = "sso_next"


@bp.app_context_processor
def _login_options() -> dict:
    return {"sso_providers": lambda: configured_providers(current_app.config)}


def password_login_for_admins_only() -> bool:
    """``PASSWORD_LOGIN=admins``: passwords are for operators; everyone else signs on."""
    return current_app.config.get("PASSWORD_LOGIN") == "admins"


def remember_next(target: str | None) -> None:
    """Keep where to go after the login (a path on this site only) across the provider."""
    from portal.auth.views import safe_next

    session[NEXT_KEY] = safe_next(target)


def absolute_url(endpoint: str) -> str:
    """The absolute address of a route, as a provider knows it (``PORTAL_BASE_URL``)."""
    base = current_app.config.get("PORTAL_BASE_URL")
    return base + url_for(endpoint) if base else url_for(endpoint, _external=True)


def _throttle():
    return current_app.extensions["login_throttle"]


def _account(identity: ExternalIdentity) -> str:
    return f"sso:{identity.issuer}|{identity.subject}"


def finish_login(identity: ExternalIdentity, *, keep: dict | None = None) -> ResponseReturnValue:
    """Log the person in as the user ``mapping.admit`` finds or makes, and send them on; on
    ``Refused`` the Danish refusal page (403), the refusal audited, nothing created.

    ``keep``: values the adapter needs in the new session (e.g. for single logout).
    """
    address = request.remote_addr
    wait = _throttle().attempt(_account(identity), address)
    if wait:
        reason = ngettext(
            "For mange mislykkede forsøg. Prøv igen om %(num)d sekund.",
            "For mange mislykkede forsøg. Prøv igen om %(num)d sekunder.",
            wait,
        )
        record_refusal(Refused(code="throttled", reason=reason), identity, ip=address)
        db.session.commit()
        return _refusal_page(reason, 429)
    try:
        user = _admit(identity, address)
    except Refused as refused:
        db.session.rollback()  # nothing the mapping may have begun stays …
        record_refusal(refused, identity, ip=address)  # … but the audit line does
        db.session.commit()
        _throttle().failed(address)
        return _refusal_page(refused.reason, 403)
    audit.record(
        "login",
        actor=user,
        obj=user,
        ip=address,
        municipality_id=user.municipality_id,
        protocol=identity.protocol,
        issuer=identity.issuer,
    )
    _throttle().succeeded(_account(identity), address)
    target = session.get(NEXT_KEY)
    lang = services.language_at_login(user, session.get("lang"))
    db.session.commit()
    session.clear()  # a fresh session at login: nothing carried over from before
    if lang:
        session["lang"] = lang
    session.update(keep or {})
    login_user(user)
    return redirect(target or url_for("home.index"))


def _admit(identity: ExternalIdentity, address: str | None):
    """``admit``, once more when another request of the same person (a double click, two
    tabs) created the user or the link first: the second time it finds them."""
    try:
        return admit(identity, ip=address)
    except IntegrityError:
        db.session.rollback()
        return admit(identity, ip=address)


def refuse(refused: Refused, identity: ExternalIdentity | None = None) -> ResponseReturnValue:
    """A protocol check failed (state, signature, audience …): audit, count and refuse."""
    db.session.rollback()
    record_refusal(refused, identity, ip=request.remote_addr)
    db.session.commit()
    _throttle().failed(request.remote_addr)
    return _refusal_page(refused.reason, 403)


def _refusal_page(reason, status: int) -> tuple[str, int]:
    session.pop(NEXT_KEY, None)
    return render_template("auth/sso_refused.html", reason=reason), status
