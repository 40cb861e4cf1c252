"""The single sign-on configuration as the environment would set it, and a SAML request
sent (the SAML keys and the fixture identity provider: ``saml_fixtures``)."""

from __future__ import annotations

import uuid

import pytest

from portal.auth.sso.settings import parse_role_map
from tests.auth.sso.helpers import NATIONAL_CVR, ROLE_MAP

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
