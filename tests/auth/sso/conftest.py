"""The single sign-on configuration as the environment would set it, and a SAML request
sent (the SAML keys and the fixture identity provider: ``saml_fixtures``)."""

from __future__ import annotations

import uuid

import pytest

from portal.auth.sso.settings import parse_role_map
from tests.auth.sso.helpers import CLIENT_ID, NATIONAL_CVR, ROLE_MAP
from tests.auth.sso.oidc_provider import start_provider

ACS_URL = "http://localhost/sso/saml/acs"


@pytest.fixture
def sso_config(app, monkeypatch):
    """The role table and KL's CVR set, as the environment would set them."""
    monkeypatch.setitem(app.config, "SSO_ROLE_MAP", parse_role_map(ROLE_MAP))
    monkeypatch.setitem(app.config, "SSO_NATIONAL_CVR", NATIONAL_CVR)
    return app.config


@pytest.fixture
def sent_request():
    """A request this browser sent: (its ID, the browser's pending requests)."""

    def send(next_path: str | None = None) -> tuple[str, dict[str, str | None]]:
        request_id = "_" + uuid.uuid4().hex
        return request_id, {request_id: next_path}

    return send


@pytest.fixture(scope="module")
def provider():
    running, stop = start_provider()
    yield running
    stop()


@pytest.fixture
def oidc(app, provider, sso_config, monkeypatch):
    for name, value in {
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": "hemmelig",
        "OIDC_SCOPES": "openid email profile",
        "OIDC_CVR_CLAIM": "cvr",
        "OIDC_ROLES_CLAIM": "roles",
        "OIDC_DISPLAY_NAME": "KL og kommuner via broker",
    }.items():
        monkeypatch.setitem(app.config, name, value)
    provider.tamper = {}
    return provider
