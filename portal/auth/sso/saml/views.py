"""The SAML routes, under /sso/saml/: the portal's metadata, the login (a signed
AuthnRequest to Context Handler), the assertion consumer (the answer, verified and handed to
the one mapping) and single logout. Without the SAML settings every route answers 404 and the
login page has no SAML button."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from portal.auth import services
from portal.auth.sso import Provider, register
from portal.auth.sso.identity import ExternalIdentity, Refused
from portal.auth.sso.saml import logout as slo
from portal.auth.sso.saml import messages, pending
from portal.auth.sso.saml.response import SamlRefused, VerifiedLogin, verify_response
from portal.auth.sso.saml.settings import SamlSettings, configured, load_settings
from portal.auth.sso.views import finish_login, refuse, remember_next
from portal.db import db
from portal.extensions import csrf

bp = Blueprint("sso_saml", __name__, url_prefix="/sso/saml")
NAME_ID, SESSION_INDEX = "saml_name_id", "saml_session_index"


def load(app) -> None:
    """The settings are read when the app starts: a broken file stops it there."""
    if configured(app.config):
        settings = app.extensions["saml"] = load_settings(app.config)
        if settings.idp.slo_url:  # the logout form is redirected on to the provider
            app.config["CSP_FORM_ACTION"] = (
                *app.config.get("CSP_FORM_ACTION", ()),
                origin(settings.idp.slo_url),
            )
    register(
        Provider(
            key="saml",
            endpoint="sso_saml.login",
            configured=configured,
            hint=lambda config: _l("Kommunale medarbejdere: KOMBIT's Context Handler"),
        )
    )


bp.record_once(lambda state: load(state.app))


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _settings() -> SamlSettings:
    settings = current_app.extensions.get("saml")
    if settings is None:
        abort(404)
    return settings


def _url(endpoint: str) -> str:
    """The absolute address of a route, as the identity provider knows it."""
    base = current_app.config.get("PORTAL_BASE_URL")
    return base + url_for(endpoint) if base else url_for(endpoint, _external=True)


@bp.get("/metadata")
def metadata():
    xml = messages.sp_metadata(_settings(), _url("sso_saml.acs"), _url("sso_saml.logout"))
    return Response(xml, mimetype="application/samlmetadata+xml")


@bp.get("/login")
def login():
    from portal.auth.views import safe_next

    settings = _settings()
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    request_id = messages.new_id()
    authn = messages.authn_request(settings, request_id, _url("sso_saml.acs"))
    response = redirect(messages.redirect_url(settings, settings.idp.sso_url, authn))
    lifetime = settings.request_lifetime_seconds
    cookie = pending.add(
        request.cookies.get(pending.COOKIE),
        request_id,
        safe_next(request.args.get("next")),
        lifetime,
    )
    pending.set_cookie(response, cookie, lifetime)
    return response


@bp.post("/acs")
@csrf.exempt  # the IdP's cross-site POST; bound to this browser by InResponseTo and signature
def acs():
    settings = _settings()
    cookie = request.cookies.get(pending.COOKIE)
    waiting = pending.read(cookie, settings.request_lifetime_seconds)
    try:
        verified = verify_response(
            settings, request.form.get("SAMLResponse", ""), _url("sso_saml.acs"), waiting
        )
    except SamlRefused as refused:
        reason = _("Svaret fra Context Handler kunne ikke godkendes. Prøv at logge ind igen.")
        detail = refused.detail[:300]
        return make_response(
            refuse(Refused(code=f"saml_{refused.code}", reason=reason, detail=detail))
        )
    db.session.commit()  # the request and the assertion are used, whatever the mapping says
    remember_next(verified.next_path)
    response = make_response(
        finish_login(
            identity(verified),
            keep={NAME_ID: verified.subject, SESSION_INDEX: verified.session_index},
        )
    )
    pending.set_cookie(
        response,
        pending.without(cookie, verified.request_id or ""),
        settings.request_lifetime_seconds,
    )
    return response


def identity(verified: VerifiedLogin) -> ExternalIdentity:
    return ExternalIdentity(
        protocol="saml",
        issuer=verified.issuer,
        subject=verified.subject,
        cvr=verified.cvr,
        roles=verified.roles,
        email=verified.email,
        name=verified.name,
        loa=verified.loa,
    )


def single_logout_url(kept: dict) -> str | None:
    """Where to send a person who logged out here: to the identity provider's single logout
    with a signed LogoutRequest, when they came by SAML and the provider offers it."""
    settings = current_app.extensions.get("saml")
    if settings is None or not settings.idp.slo_url or not kept.get(NAME_ID):
        return None
    message = messages.logout_request(settings, kept[NAME_ID], kept.get(SESSION_INDEX))
    return messages.redirect_url(settings, settings.idp.slo_url, message)


@bp.get("/logout")
def logout():
    """The identity provider's side of single logout: its answer to our LogoutRequest, or
    its own LogoutRequest (the person logged out elsewhere), which ends the session here."""
    settings = _settings()
    message = slo.verified_redirect(settings, request.query_string, "SAMLRequest")
    asked = slo.logout_request_for(settings, message) if message is not None else None
    if asked is None:
        # our own logout came back (or a stray link): the local session ended already
        flash(_("Du er logget ud."), "info")
        return redirect(url_for("auth.login"))
    request_id, name_id = asked
    if current_user.is_authenticated and session.get(NAME_ID) == name_id:
        services.end_sessions(current_user)
        db.session.commit()
        logout_user()
        session.clear()
    answer = slo.logout_response(settings, request_id)
    return redirect(
        messages.redirect_url(settings, settings.idp.slo_url, answer, kind="SAMLResponse")
    )
