"""Logging out at the OpenID Connect provider (RP-Initiated Logout 1.0), against
oidc-provider-mock, whose discovery document names an ``end_session_endpoint``; a provider
without one (the same mock with the endpoint taken out of its discovery document) gets a
local logout."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from portal.auth.sso.oidc_logout import ID_TOKEN, LOGOUT_STATE, MAX_KEPT_TOKEN, kept_at_login
from tests.auth.sso.helpers import CLIENT_ID
from tests.auth.sso.test_oidc import _person, sign_in


@pytest.fixture
def fresh_discovery(app, monkeypatch):
    """The provider's discovery document read afresh (the client is made again)."""
    monkeypatch.delitem(app.extensions, "sso_oidc", raising=False)
    monkeypatch.delitem(app.extensions, "sso_oidc_failed_at", raising=False)


def _form_action(response) -> list[str]:
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    return policy["form-action"].split()


def test_logout_sends_the_browser_to_the_providers_end_session_endpoint(
    client, oidc, fresh_discovery
):
    _person(oidc, "anna")
    assert sign_in(client, oidc, "anna").status_code == 302
    with client.session_transaction() as session:
        id_token = session[ID_TOKEN]
    response = client.post("/logout")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{oidc.url}/oauth2/end_session"
    )
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == ["http://localhost/login"]
    with client.session_transaction() as session:
        assert query["state"] == [session[LOGOUT_STATE]] and len(query["state"][0]) >= 20
        assert "_user_id" not in session and ID_TOKEN not in session
    # the hint is the provider's own ID token for this person and this portal
    keys = KeySet.import_key_set(requests.get(f"{oidc.url}/jwks", timeout=5).json())
    claims = jwt.decode(id_token, keys).claims
    assert (claims["sub"], claims["iss"]) == ("anna", oidc.url) and CLIENT_ID in claims["aud"]
    # the local session ended before the browser left
    assert client.get("/oversigt/").status_code == 302
    # the provider ends its session and sends the browser back to the login page, with state
    ended = requests.get(response.location, timeout=5)
    assert ended.status_code == 200 and "End Session" in ended.text
    confirmed = requests.post(
        f"{oidc.url}/oauth2/end_session/confirm",
        data={"redirect_uri": f"http://localhost/login?state={query['state'][0]}"},
        allow_redirects=False,
        timeout=5,
    )
    back = urlsplit(confirmed.headers["Location"])
    assert back.path == "/login" and parse_qs(back.query)["state"] == query["state"]
    page = client.get(f"{back.path}?{back.query}")
    assert page.status_code == 200 and "Du er logget ud." in page.get_data(as_text=True)


def test_the_pages_let_the_logout_form_reach_the_provider(client, oidc, fresh_discovery):
    """The logout form's answer redirects to the provider: form-action must allow it."""
    assert _form_action(client.get("/login")) == ["'self'", oidc.url]
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    assert oidc.url in _form_action(client.get("/"))


def test_without_an_end_session_endpoint_the_logout_is_local(client, oidc, fresh_discovery):
    oidc.no_end_session = True
    try:
        _person(oidc, "anna")
        assert sign_in(client, oidc, "anna").status_code == 302
        response = client.post("/logout")
    finally:
        oidc.no_end_session = False
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/oversigt/").status_code == 302


def test_a_person_who_logged_in_with_a_password_logs_out_locally(
    client, oidc, fresh_discovery, make_user, login
):
    from portal.auth.models import Role

    login(make_user(Role.MUNICIPAL, code=751))
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"


def test_without_configuration_nothing_changes(client, app, make_user, login):
    from portal.auth.models import Role

    assert not app.config["OIDC_ISSUER"]
    login(make_user(Role.MUNICIPAL, code=751))
    assert _form_action(client.get("/")) == ["'self'"]
    assert client.post("/logout").location == "/login"


def test_an_id_token_too_large_for_the_session_cookie_is_not_kept():
    assert kept_at_login("x" * 100) == {ID_TOKEN: "x" * 100}
    assert kept_at_login("x" * (MAX_KEPT_TOKEN + 1)) == {ID_TOKEN: ""}
    assert kept_at_login(None) == {}


def test_without_a_kept_token_the_logout_names_the_client_only(client, oidc, fresh_discovery):
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    with client.session_transaction() as session:
        session[ID_TOKEN] = ""  # as when the token was too large to keep
    query = parse_qs(urlsplit(client.post("/logout").location).query)
    assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]


def test_a_provider_that_cannot_be_reached_at_logout_gives_a_local_logout(
    app, client, oidc, fresh_discovery, monkeypatch
):
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    _settings, made = app.extensions["sso_oidc"]
    asked = []

    def unreachable():
        asked.append(1)
        raise requests.ConnectionError("provider down")

    made.server_metadata.clear()  # as in a process that has not read it yet
    monkeypatch.setattr(made, "load_server_metadata", unreachable)
    assert client.get("/").status_code == 200  # pages still work, with the issuer's origin
    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/oversigt/").status_code == 302
    assert len(asked) == 1  # after a failure the provider is left alone for a while
