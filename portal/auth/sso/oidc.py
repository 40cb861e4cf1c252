"""OpenID Connect for brokers and KL's own staff, with Authlib's Flask client.

Authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the signed session
by Authlib; the ID token's signature is checked against the provider's JWKS (from its
discovery document), and its issuer, audience (our client id), expiry and nonce by Authlib's
``CodeIDToken`` claims. Only the verified ID token's claims become the identity (never the
userinfo endpoint's unsigned answer). Then the one mapping (``mapping.admit``) decides.

Settings (``settings.py``): ``OIDC_ISSUER``, ``OIDC_CLIENT_ID``, ``OIDC_CLIENT_SECRET``,
``OIDC_SCOPES``, ``OIDC_CVR_CLAIM`` (or ``OIDC_CVR``: the one organisation of a provider that
sends no CVR, e.g. KL's own), ``OIDC_ROLES_CLAIM`` (a dotted path such as
``realm_access.roles`` reaches into an object), ``OIDC_DISPLAY_NAME``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from portal.auth.sso import Provider, register
from portal.auth.sso.identity import ExternalIdentity, Refused
from portal.auth.sso.oidc_logout import form_action_origins, kept_at_login
from portal.auth.sso.views import finish_login, refuse, remember_next

bp = Blueprint("sso_oidc", __name__, url_prefix="/sso/oidc")
bp.record_once(
    lambda state: state.app.extensions.setdefault("csp_form_action", []).append(form_action_origins)
)
LEEWAY_SECONDS = 60  # clock skew allowed on exp/iat
TIMEOUT_SECONDS = 10  # each call to the provider


def configured(config: Mapping) -> bool:
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


register(
    Provider(
        key="oidc",
        endpoint="sso_oidc.login",
        configured=configured,
        hint=lambda config: config.get("OIDC_DISPLAY_NAME") or None,
    )
)


def _client():
    """Authlib's client for the configured provider (made again when the settings change)."""
    config = current_app.config
    settings = tuple(
        config.get(k)
        for k in ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES")
    )
    made = current_app.extensions.get("sso_oidc")
    if made is None or made[0] != settings:
        issuer, client_id, secret, scopes = settings
        oauth = OAuth(current_app._get_current_object())
        client = oauth.register(
            "oidc",
            client_id=client_id,
            client_secret=secret or None,
            server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={
                "scope": scopes,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
        made = (settings, client)
        current_app.extensions["sso_oidc"] = made
    return made[1]


@bp.before_request
def _only_when_configured():
    if not configured(current_app.config):
        abort(404)


@bp.route("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    remember_next(request.args.get("next"))
    try:
        client = _client()
        _check_issuer(client)
        return client.authorize_redirect(url_for(".callback", _external=True))
    except Refused as refused:
        return refuse(refused)
    except (requests.RequestException, ValueError) as error:
        return refuse(_unreachable(error))


@bp.route("/callback")
def callback():
    try:
        client = _client()
        _check_issuer(client)
        token = client.authorize_access_token(
            # Authlib checks the audience only through ``azp`` (a token for another client
            # that names us as its authorized party would pass): the audience is checked here.
            claims_options={
                "iss": {"essential": True, "values": [current_app.config["OIDC_ISSUER"]]},
                "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
            },
            leeway=LEEWAY_SECONDS,
        )
        claims = token.get("userinfo")
        if not claims:  # no ID token, or one without a nonce to check
            raise Refused(
                code="no_id_token",
                reason=_l("Login-tjenesten sendte ikke et gyldigt ID-token."),
            )
        identity = identity_from_claims(claims)
    except Refused as refused:
        return refuse(refused)
    except Exception as error:  # every failure of the protocol is a refusal, never a 500
        return refuse(_refusal(error))
    # the ID token is kept for the logout at the provider (``oidc_logout``)
    return finish_login(identity, keep=kept_at_login(token.get("id_token")))


def _check_issuer(client) -> None:
    """The discovery document must name the configured issuer (OpenID Connect Discovery §4.3)."""
    issuer = client.load_server_metadata().get("issuer")
    if issuer != current_app.config["OIDC_ISSUER"]:
        raise Refused(
            code="issuer_mismatch",
            reason=_l("Login-tjenesten er ikke sat rigtigt op. Kontakt portalens administrator."),
            issuer=str(issuer)[:500],
        )


def _unreachable(error: Exception) -> Refused:
    current_app.logger.warning("OpenID Connect provider not reachable: %s", error)
    return Refused(
        code="provider_unreachable",
        reason=_l("Login-tjenesten svarer ikke lige nu. Prøv igen om lidt."),
    )


def _refusal(error: Exception) -> Refused:
    """Each way a callback can fail, as the refusal the person and the audit log see."""
    if isinstance(error, MismatchingStateError):
        return Refused(
            code="bad_state",
            reason=_l("Loginforsøget kunne ikke genkendes. Start forfra fra portalens login."),
        )
    if isinstance(error, ExpiredTokenError):
        return Refused(code="expired", reason=_l("Svaret fra login-tjenesten er udløbet."))
    if isinstance(error, ClaimError):
        return Refused(
            code=f"bad_{error.claim}",
            reason=_l("Svaret fra login-tjenesten kunne ikke godkendes."),
            claim=error.claim,
        )
    if isinstance(error, JoseError):
        return Refused(
            code="bad_signature",
            reason=_l("Svaret fra login-tjenesten kunne ikke godkendes."),
            error=type(error).__name__,
        )
    if isinstance(error, OAuthError):
        return Refused(
            code="provider_error",
            reason=_l("Login-tjenesten afviste loginforsøget."),
            error=str(error.error)[:100],
        )
    if isinstance(error, requests.RequestException):
        return _unreachable(error)
    current_app.logger.exception("OpenID Connect callback failed")
    return Refused(code="oidc_failed", reason=_l("Login-tjenestens svar kunne ikke læses."))


def _claim(claims: Mapping, path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _email(claims: Mapping) -> str | None:
    """The e-mail, unless the provider says it is not verified (then it links no account)."""
    email = claims.get("email")
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return None
    return email


def identity_from_claims(claims: Mapping) -> ExternalIdentity:
    """The person as the verified ID token names them."""
    config = current_app.config
    cvr = config.get("OIDC_CVR") or _claim(claims, config.get("OIDC_CVR_CLAIM") or "cvr")
    roles = _claim(claims, config.get("OIDC_ROLES_CLAIM") or "roles")
    if isinstance(roles, str):
        roles = roles.split()
    if not isinstance(roles, list | tuple):
        roles = []
    return ExternalIdentity(
        protocol="oidc",
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        cvr=str(cvr).strip() if cvr not in (None, "") else None,
        roles=tuple(str(r) for r in roles if isinstance(r, str | int))[:50],
        email=_email(claims),
        name=claims.get("name") if isinstance(claims.get("name"), str) else None,
        loa=str(claims["acr"]) if claims.get("acr") else None,
    )
