"""SAML fixtures for every test folder (a plugin of the root conftest): the keys and
certificates, made once per run, the fixture Context Handler and the service provider's
settings trusting it."""

from __future__ import annotations

import pytest
from signxml import SignatureMethod

from portal.auth.sso.saml.settings import SamlSettings, read_idp_metadata
from tests.auth.sso.saml_idp import SP_ENTITY_ID, FixtureIdP, idp_metadata, key_and_certificate


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
        signature_algorithm=SignatureMethod.SHA256_RSA_MGF1,
    )
