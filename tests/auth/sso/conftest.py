"""The single sign-on configuration as the environment would set it; for SAML the keys,
certificates and the fixture identity provider, made once per test run."""

from __future__ import annotations

import uuid

import pytest

from portal.auth.sso.saml.settings import SamlSettings, read_idp_metadata
from portal.auth.sso.settings import parse_role_map
from tests.auth.sso.helpers import NATIONAL_CVR, ROLE_MAP
from tests.auth.sso.saml_idp import SP_ENTITY_ID, FixtureIdP, idp_metadata, key_and_certificate

ACS_URL = "http://localhost/sso/saml/acs"


@pytest.fixture
def sso_config(app, monkeypatch):
    """The role table and KL's CVR set, as the environment would set them."""
    monkeypatch.setitem(app.config, "SSO_ROLE_MAP", parse_role_map(ROLE_MAP))
    monkeypatch.setitem(app.config, "SSO_NATIONAL_CVR", NATIONAL_CVR)
    return app.config


@pytest.fixture(scope="session")
def saml_keys():
    return {
        "idp": key_and_certificate("Fixture Context Handler"),
        "sp": key_and_certificate("Skaleringsportalen test SP"),
        "stranger": key_and_certificate("Someone else"),
    }


@pytest.fixture(scope="session")
def fixture_idp(saml_keys) -> FixtureIdP:
    key, certificate = saml_keys["idp"]
    return FixtureIdP(key, certificate, saml_keys["sp"][1])


@pytest.fixture
def saml_settings(saml_keys) -> SamlSettings:
    sp_key, sp_certificate = saml_keys["sp"]
    return SamlSettings(
        entity_id=SP_ENTITY_ID,
        certificate=sp_certificate,
        key=sp_key,
        idp=read_idp_metadata(idp_metadata(saml_keys["idp"][1])),
        required_loa=None,
        signature_algorithm=__import__("signxml").SignatureMethod.SHA256_RSA_MGF1,
    )


@pytest.fixture
def sent_request():
    """A request this browser sent: (its ID, the browser's pending requests)."""

    def send(next_path: str | None = None) -> tuple[str, dict[str, str | None]]:
        request_id = "_" + uuid.uuid4().hex
        return request_id, {request_id: next_path}

    return send
