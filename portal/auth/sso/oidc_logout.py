"""Logging out at the OpenID Connect provider too (OpenID Connect RP-Initiated Logout 1.0).

A person who came by OpenID Connect keeps the ID token they logged in with in their session
(``ID_TOKEN``). When they log out here, the portal's session ends first; then, if the
provider's discovery document names an ``end_session_endpoint``, the browser is sent there
with ``id_token_hint`` (that ID token), ``client_id``, ``post_logout_redirect_uri`` (the
portal's login page, to be registered with the provider) and a random ``state``. A provider
without the endpoint, or one that cannot be reached: a local logout, as before.

The logout is a form POST whose answer redirects to the provider, so the pages' CSP must let
forms reach it (``form-action``): ``form_action_origins`` adds the issuer's origin and, once
the discovery document is known, the end-session endpoint's.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from flask import current_app, request, session

ID_TOKEN = "oidc_id_token"  # the session key of the ID token the person logged in with
LOGOUT_STATE = "oidc_logout_state"  # kept in the new session: the state sent at logout
# An ID token larger than this is not kept (the session is a cookie of at most 4 KB): the
# logout then names the client instead of the token (both are allowed by the spec).
MAX_KEPT_TOKEN = 2500
RETRY_SECONDS = 60  # after a failed discovery, pages do not ask the provider again for this long


def kept_at_login(id_token: str | None) -> dict:
    """What ``finish_login`` keeps in the new session for the logout at the provider."""
    if not id_token:
        return {}
    return {ID_TOKEN: id_token if len(id_token) <= MAX_KEPT_TOKEN else ""}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _metadata(load: bool) -> dict:
    """The provider's discovery document: loaded (once a process) when ``load``, else only
    what this process already knows."""
    from portal.auth.sso.oidc import _client, configured

    if not configured(current_app.config):
        return {}
    if not load:
        made = current_app.extensions.get("sso_oidc")
        return dict(made[1].server_metadata) if made else {}
    failed_at = current_app.extensions.get("sso_oidc_failed_at", 0.0)
    if time.monotonic() - failed_at < RETRY_SECONDS:
        return {}
    try:
        return dict(_client().load_server_metadata())
    except (requests.RequestException, ValueError) as error:
        current_app.extensions["sso_oidc_failed_at"] = time.monotonic()
        current_app.logger.warning("OpenID Connect discovery failed: %s", error)
        return {}


def _end_session_endpoint(metadata: dict) -> str | None:
    endpoint = metadata.get("end_session_endpoint")
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in ("https", "http"):
        return None
    if metadata.get("issuer") != current_app.config.get("OIDC_ISSUER"):
        return None  # not the provider we trust (the login refuses it too)
    return endpoint


def end_session_url(kept: dict) -> str | None:
    """Where to send a person who logged out here (``kept``: their session before it ended):
    the provider's end-session endpoint, when they came by OpenID Connect and it has one."""
    from portal.auth.sso.views import absolute_url

    if ID_TOKEN not in kept:
        return None
    endpoint = _end_session_endpoint(_metadata(load=True))
    if endpoint is None:
        return None
    state = secrets.token_urlsafe(16)
    session[LOGOUT_STATE] = state
    params = {
        "client_id": current_app.config["OIDC_CLIENT_ID"],
        "post_logout_redirect_uri": absolute_url("auth.login"),
        "state": state,
    }
    if kept[ID_TOKEN]:
        params = {"id_token_hint": kept[ID_TOKEN], **params}
    parts = urlsplit(endpoint)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def form_action_origins(app) -> tuple[str, ...]:
    """The provider's origins a form may be redirected to (the logout): the issuer's, and the
    end-session endpoint's once known (loaded for a person who came by OpenID Connect)."""
    config = app.config
    if not (config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID")):
        return ()
    found = [origin(config["OIDC_ISSUER"])]
    # a page of a person who came by OpenID Connect (a static file reads no session)
    load = request.endpoint != "static" and ID_TOKEN in session
    endpoint = _end_session_endpoint(_metadata(load=load))
    if endpoint and origin(endpoint) not in found:
        found.append(origin(endpoint))
    return tuple(found)
