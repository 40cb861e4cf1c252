"""One journey against SAML code no one here wrote: pysaml2's identity provider, configured
from the portal's own SP metadata, checks the portal's signed AuthnRequest (RSA-SHA256 in
the query string), and answers with an assertion signed by xmlsec1 (RSA-SHA256: Debian's
xmlsec1 has no RSASSA-PSS); the portal reads pysaml2's IdP metadata, verifies the answer and
logs the project lead in."""

from __future__ import annotations

import shutil
from base64 import b64encode
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest
from signxml import SignatureMethod
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.auth.sso.saml import oiosaml
from portal.auth.sso.saml.settings import read_idp_metadata
from portal.db import db
from tests.auth.sso.helpers import AARHUS_CVR, PROJECT_LEAD
from tests.auth.sso.saml_idp import IDP_SLO_URL, IDP_SSO_URL, SP_ENTITY_ID, pem, privilege_list

XMLSEC1 = shutil.which("xmlsec1")
pytestmark = pytest.mark.skipif(
    XMLSEC1 is None, reason="xmlsec1 is not installed (Debian package xmlsec1; `make browser`)"
)
PYSAML2_IDP = "https://pysaml2-idp.test/metadata"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ACS = "http://localhost/sso/saml/acs"


def pysaml2_idp(tmp_path, saml_keys, sp_metadata: str):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
    from saml2.server import Server

    key, certificate = saml_keys["idp"]
    (tmp_path / "idp.key").write_text(pem(key))
    (tmp_path / "idp.crt").write_text(pem(certificate))
    config = IdPConfig().load(
        {
            "entityid": PYSAML2_IDP,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(IDP_SSO_URL, BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(IDP_SLO_URL, BINDING_HTTP_REDIRECT)],
                    },
                    "policy": {
                        "default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": True,
                }
            },
            "key_file": str(tmp_path / "idp.key"),
            "cert_file": str(tmp_path / "idp.crt"),
            "metadata": {"inline": [sp_metadata]},
            "xmlsec_binary": XMLSEC1,
            "crypto_backend": "xmlsec1",
        }
    )
    return Server(config=config)


def test_a_login_through_pysaml2_s_identity_provider(
    app, client, saml_settings, saml_keys, sso_config, tmp_path, monkeypatch
):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.metadata import entity_descriptor
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
    from saml2.sigver import verify_redirect_signature

    settings = replace(saml_settings, signature_algorithm=SignatureMethod.RSA_SHA256)
    for name in ("SAML_SP_ENTITY_ID", "SAML_SP_CERT", "SAML_SP_KEY", "SAML_IDP_METADATA"):
        monkeypatch.setitem(app.config, name, "set")
    monkeypatch.setitem(app.extensions, "saml", settings)
    idp = pysaml2_idp(tmp_path, saml_keys, client.get("/sso/saml/metadata").get_data(as_text=True))
    # the portal trusts what pysaml2's own metadata says of it
    settings = replace(settings, idp=read_idp_metadata(str(entity_descriptor(idp.config)).encode()))
    monkeypatch.setitem(app.extensions, "saml", settings)
    assert settings.idp.entity_id == PYSAML2_IDP

    location = client.get("/sso/saml/login?next=/oversigt/").headers["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    request = idp.parse_authn_request(  # pysaml2 checks the query signature here
        query["SAMLRequest"],
        BINDING_HTTP_REDIRECT,
        sigalg=query["SigAlg"],
        signature=query["Signature"],
    )
    assert request.message.issuer.text == SP_ENTITY_ID
    certificates = idp.metadata.certs(SP_ENTITY_ID, "any", "signing")
    assert any(verify_redirect_signature(query, idp.sec.sec_backend, c) for _n, c in certificates)

    assert request.message.assertion_consumer_service_url == ACS

    def answer(**algorithms) -> str:
        return idp.create_authn_response(
            identity={
                oiosaml.CVR: [AARHUS_CVR],
                oiosaml.PRIVILEGES: [privilege_list({AARHUS_CVR: [PROJECT_LEAD]})],
                oiosaml.LOA: ["Substantial"],
                oiosaml.EMAIL: ["bo.pysaml2@aarhus.example"],
                oiosaml.FULL_NAME: ["Bo Pysaml"],
            },
            in_response_to=request.message.id,
            destination=ACS,
            sp_entity_id=SP_ENTITY_ID,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="pysaml2-person-1"),
            authn={"class_ref": "https://data.gov.dk/concept/core/nsis/loa/Substantial"},
            sign_assertion=True,
            sign_response=True,
            **algorithms,
        )

    def post(xml: str):
        return client.post("/sso/saml/acs", data={"SAMLResponse": b64encode(xml.encode()).decode()})

    # pysaml2's default, RSA-SHA1, is refused …
    assert post(answer()).status_code == 403
    refusal = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sso_refused"))
    assert refusal.details["code"] == "saml_signature" and "SHA1" in refusal.details["detail"]
    # … RSA-SHA256 logs the person in
    response = post(answer(sign_alg=RSA_SHA256, digest_alg=SHA256))
    assert response.status_code == 302
    assert response.headers["Location"] == "/oversigt/"
    user = db.session.scalar(select(User).where(User.email == "bo.pysaml2@aarhus.example"))
    assert (user.role, user.municipality.code, user.name) == (Role.MUNICIPAL, 751, "Bo Pysaml")
