"""The SAML settings: all or nothing, read from files (or the text itself), the identity
provider's metadata read for its entity ID, certificates and endpoints; mistakes stop the
start with a message that names the setting."""

from __future__ import annotations

import pytest

from portal.auth.sso.saml.settings import configured, load_settings, read_idp_metadata
from portal.config import ConfigError, load_config
from tests.auth.sso.saml_idp import (
    IDP_ENTITY_ID,
    IDP_SLO_URL,
    IDP_SSO_URL,
    SP_ENTITY_ID,
    idp_metadata,
    pem,
)


@pytest.fixture
def env(tmp_path, saml_keys):
    key, certificate = saml_keys["sp"]
    (tmp_path / "sp.crt").write_text(pem(certificate))
    (tmp_path / "sp.key").write_text(pem(key))
    (tmp_path / "idp.xml").write_bytes(idp_metadata(saml_keys["idp"][1]))
    return {
        "SAML_SP_ENTITY_ID": SP_ENTITY_ID,
        "SAML_SP_CERT": str(tmp_path / "sp.crt"),
        "SAML_SP_KEY": str(tmp_path / "sp.key"),
        "SAML_IDP_METADATA": str(tmp_path / "idp.xml"),
    }


def test_nothing_set_means_no_saml(tmp_path):
    assert not configured(load_config(tmp_path, {}))


def test_the_files_are_read_and_the_provider_known(tmp_path, env, saml_keys):
    config = load_config(tmp_path, {**env, "SAML_REQUIRED_LOA": "Substantial"})
    settings = load_settings(config)
    assert configured(config)
    assert (settings.entity_id, settings.required_loa) == (SP_ENTITY_ID, "Substantial")
    assert settings.idp.entity_id == IDP_ENTITY_ID
    assert (settings.idp.sso_url, settings.idp.slo_url) == (IDP_SSO_URL, IDP_SLO_URL)
    assert settings.idp.certificates == (saml_keys["idp"][1],)
    assert settings.signature_algorithm.name == "SHA256_RSA_MGF1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SAML_SP_KEY": ""}, "missing: SAML_SP_KEY"),
        ({"SAML_IDP_METADATA": "/nowhere/idp.xml"}, "SAML_IDP_METADATA: cannot read"),
        ({"SAML_REQUIRED_LOA": "Medium"}, "SAML_REQUIRED_LOA must be one of"),
        ({"SAML_SIGNATURE_ALGORITHM": "rsa-sha1"}, "SAML_SIGNATURE_ALGORITHM must be one of"),
        ({"SAML_SP_CERT": "-----BEGIN CERTIFICATE-----\nbroken"}, "SAML_SP_CERT"),
        (
            {"PORTAL_ENV": "production", "SECRET_KEY": "s", "DATABASE_URL": "sqlite://"},
            "PORTAL_BASE_URL=https://",
        ),
    ],
)
def test_a_mistake_stops_the_start_and_names_the_setting(tmp_path, env, change, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(load_config(tmp_path, {**env, **change}))


def test_metadata_without_an_identity_provider_or_a_redirect_endpoint_is_refused(saml_keys):
    sp_only = b'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>'
    with pytest.raises(ConfigError, match="no IDPSSODescriptor"):
        read_idp_metadata(sp_only)
    post_only = idp_metadata(saml_keys["idp"][1]).replace(
        b'bindings:HTTP-Redirect" Location="https://idp.test/sso', b'bindings:SOAP" Location="x'
    )
    with pytest.raises(ConfigError, match="HTTP-Redirect"):
        read_idp_metadata(post_only)


def test_starting_with_saml_loads_the_settings_and_lets_the_logout_form_reach_the_provider(
    tmp_path, env
):
    """The logout form's answer redirects to the provider's single logout: the CSP's
    form-action must allow its origin (a browser blocks the redirect otherwise)."""
    from types import SimpleNamespace

    from portal.auth.sso.saml.views import load

    app = SimpleNamespace(config=load_config(tmp_path, env), extensions={})
    load(app)
    assert app.extensions["saml"].idp.entity_id == IDP_ENTITY_ID
    assert app.config["CSP_FORM_ACTION"] == ("https://idp.test",)
