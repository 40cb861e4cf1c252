"""What the service provider sends: its AuthnRequest and LogoutRequest by HTTP-Redirect with
the query-string signature of the SAML bindings (§3.4.4.1), and its own metadata for the
registration with the identity provider, signed with SignXML."""

from __future__ import annotations

import base64
import secrets
import zlib
from datetime import UTC, datetime
from urllib.parse import quote_plus

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree
from signxml import CanonicalizationMethod, SignatureMethod, XMLSigner

from portal.auth.sso.saml.settings import SamlSettings
from portal.auth.sso.saml.xml import DS, MD, POST_BINDING, REDIRECT_BINDING, SAML, SAMLP, q

NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
LOA_CONTEXT = "https://data.gov.dk/concept/core/nsis/loa/"


def new_id() -> str:
    return "_" + secrets.token_hex(20)  # an xsd:ID: starts with a letter or underscore


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element(parent, ns: str, name: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, q(ns, name), **attrs)
    if text is not None:
        element.text = text
    return element


def authn_request(settings: SamlSettings, request_id: str, acs_url: str) -> bytes:
    request = etree.Element(
        q(SAMLP, "AuthnRequest"),
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=request_id,
        Version="2.0",
        IssueInstant=timestamp(),
        Destination=settings.idp.sso_url,
        AssertionConsumerServiceURL=acs_url,
        ProtocolBinding=POST_BINDING,
    )
    _element(request, SAML, "Issuer", settings.entity_id)
    if settings.required_loa:
        context = _element(request, SAMLP, "RequestedAuthnContext", Comparison="minimum")
        _element(context, SAML, "AuthnContextClassRef", LOA_CONTEXT + settings.required_loa)
    return etree.tostring(request)


def logout_request(settings: SamlSettings, name_id: str, session_index: str | None) -> bytes:
    request = etree.Element(
        q(SAMLP, "LogoutRequest"),
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=new_id(),
        Version="2.0",
        IssueInstant=timestamp(),
        Destination=settings.idp.slo_url or "",
    )
    _element(request, SAML, "Issuer", settings.entity_id)
    _element(request, SAML, "NameID", name_id, Format=NAMEID_PERSISTENT)
    if session_index:
        _element(request, SAMLP, "SessionIndex", session_index)
    return etree.tostring(request)


def _sign_bytes(settings: SamlSettings, data: bytes) -> bytes:
    if settings.signature_algorithm == SignatureMethod.SHA256_RSA_MGF1:
        # as XML DSig's RSASSA-PSS: MGF1 with the digest, salt as long as the digest
        scheme = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    else:
        scheme = padding.PKCS1v15()
    return settings.key.sign(data, scheme, hashes.SHA256())


def redirect_url(
    settings: SamlSettings,
    location: str,
    message: bytes,
    relay_state: str | None = None,
    kind: str = "SAMLRequest",
) -> str:
    """``location`` with the deflated, signed message in its query string."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw DEFLATE, no zlib header
    deflated = compressor.compress(message) + compressor.flush()
    parts = [f"{kind}={quote_plus(base64.b64encode(deflated).decode())}"]
    if relay_state:
        parts.append(f"RelayState={quote_plus(relay_state)}")
    parts.append(f"SigAlg={quote_plus(settings.signature_algorithm.value)}")
    signed = "&".join(parts)
    signature = base64.b64encode(_sign_bytes(settings, signed.encode())).decode()
    separator = "&" if "?" in location else "?"
    return f"{location}{separator}{signed}&Signature={quote_plus(signature)}"


def sp_metadata(settings: SamlSettings, acs_url: str, slo_url: str) -> bytes:
    """The portal's metadata for the registration with Context Handler: entity ID, the
    system certificate for signing and encryption, the endpoints; signed with its key."""
    entity = etree.Element(
        q(MD, "EntityDescriptor"),
        nsmap={"md": MD, "ds": DS},
        entityID=settings.entity_id,
        ID=new_id(),
    )
    etree.SubElement(entity, q(DS, "Signature"), Id="placeholder")
    descriptor = _element(
        entity,
        MD,
        "SPSSODescriptor",
        AuthnRequestsSigned="true",
        WantAssertionsSigned="true",
        protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol",
    )
    der = base64.b64encode(settings.certificate.public_bytes(Encoding.DER)).decode()
    for use in ("signing", "encryption"):
        key = _element(descriptor, MD, "KeyDescriptor", use=use)
        data = _element(_element(key, DS, "KeyInfo"), DS, "X509Data")
        _element(data, DS, "X509Certificate", der)
    _element(descriptor, MD, "SingleLogoutService", Binding=REDIRECT_BINDING, Location=slo_url)
    _element(descriptor, MD, "NameIDFormat", NAMEID_PERSISTENT)
    _element(
        descriptor,
        MD,
        "AssertionConsumerService",
        Binding=POST_BINDING,
        Location=acs_url,
        index="0",
        isDefault="true",
    )
    signer = XMLSigner(
        signature_algorithm=settings.signature_algorithm,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    signed = signer.sign(
        entity,
        key=settings.key,
        cert=[settings.certificate],
        reference_uri="#" + entity.get("ID"),
        id_attribute="ID",
    )
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
