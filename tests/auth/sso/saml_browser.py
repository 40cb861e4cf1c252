"""The browser's side of a SAML login in the tests: follow /sso/saml/login to the fixture
identity provider (checking the AuthnRequest and its query signature as Context Handler
would), and post the provider's answer back to the assertion consumer."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from portal.auth.sso.saml.xml import SAML, SAMLP
from tests.auth.sso.saml_idp import IDP_SSO_URL, encode


def inflate(value: str) -> etree._Element:
    return etree.fromstring(zlib.decompress(base64.b64decode(value), -15))


def check_query_signature(location: str, sp_certificate) -> dict[str, str]:
    """The query's parameters, after checking its RSASSA-PSS signature with the SP's key."""
    query = urlsplit(location).query
    raw = dict(part.split("=", 1) for part in query.split("&"))
    signed = "&".join(f"{k}={raw[k]}" for k in ("SAMLRequest", "RelayState", "SigAlg") if k in raw)
    params = {k: v[0] for k, v in parse_qs(query).items()}
    assert params["SigAlg"] == "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
    sp_certificate.public_key().verify(  # raises InvalidSignature when it does not hold
        base64.b64decode(params["Signature"]),
        signed.encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256(),
    )
    return params


def start_login(client, sp_certificate, next_path: str | None = None) -> etree._Element:
    """The AuthnRequest the portal sends the person to the provider with."""
    response = client.get(
        "/sso/saml/login", query_string={"next": next_path} if next_path else None
    )
    assert response.status_code == 302, response.status_code
    location = response.headers["Location"]
    assert location.startswith(IDP_SSO_URL + "?")
    request = inflate(check_query_signature(location, sp_certificate)["SAMLRequest"])
    assert request.tag == f"{{{SAMLP}}}AuthnRequest"
    assert request.findtext(f"{{{SAML}}}Issuer")
    return request


def post_answer(client, response: etree._Element | bytes):
    return client.post("/sso/saml/acs", data={"SAMLResponse": encode(response)})
