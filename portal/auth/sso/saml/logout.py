"""Single logout by HTTP-Redirect: the identity provider's LogoutRequest (it ends the
person's session here too) with its query-string signature checked against the provider's
certificates, and the LogoutResponse the portal sends back."""

from __future__ import annotations

import base64
import binascii
import zlib
from urllib.parse import unquote_plus

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree
from signxml import SignatureMethod

from portal.auth.sso.saml.messages import new_id, timestamp
from portal.auth.sso.saml.settings import SamlSettings
from portal.auth.sso.saml.xml import (
    SAML,
    SAMLP,
    SUCCESS,
    XmlRefused,
    one_child,
    parse,
    plain_text,
    q,
)

_SCHEMES = {
    SignatureMethod.SHA256_RSA_MGF1.value: lambda: padding.PSS(
        mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO
    ),
    SignatureMethod.RSA_SHA256.value: padding.PKCS1v15,
}


def _raw_query(query_string: bytes) -> dict[str, str]:
    """The parameters as they were encoded: the signature covers the encoded text."""
    found = {}
    for part in query_string.decode("ascii", "replace").split("&"):
        name, _, value = part.partition("=")
        found.setdefault(name, value)
    return found


def verified_redirect(
    settings: SamlSettings, query_string: bytes, kind: str
) -> etree._Element | None:
    """The message ``kind`` (SAMLRequest or SAMLResponse) of a signed HTTP-Redirect from the
    identity provider, or None when it is missing, unsigned or signed by another key."""
    raw = _raw_query(query_string)
    if kind not in raw or "Signature" not in raw or "SigAlg" not in raw:
        return None
    scheme = _SCHEMES.get(unquote_plus(raw["SigAlg"]))
    if scheme is None:
        return None
    signed = "&".join(
        f"{name}={raw[name]}" for name in (kind, "RelayState", "SigAlg") if name in raw
    ).encode()
    try:
        signature = base64.b64decode(unquote_plus(raw["Signature"]), validate=True)
    except binascii.Error:
        return None
    for certificate in settings.idp.certificates:
        try:
            certificate.public_key().verify(signature, signed, scheme(), hashes.SHA256())
            break
        except InvalidSignature:
            continue
    else:
        return None
    try:
        deflated = base64.b64decode(unquote_plus(raw[kind]), validate=True)
        decompressor = zlib.decompressobj(-15)
        message = decompressor.decompress(deflated, 512 * 1024)
        if decompressor.unconsumed_tail:
            return None
        return parse(message)
    except (binascii.Error, zlib.error, XmlRefused):
        return None


def logout_request_for(settings: SamlSettings, message: etree._Element) -> tuple[str, str] | None:
    """(the request's ID, the NameID it logs out) when ``message`` is a LogoutRequest from
    the provider, else None."""
    if message.tag != q(SAMLP, "LogoutRequest"):
        return None
    try:
        issuer = plain_text(one_child(message, SAML, "Issuer"))
        name_id = plain_text(one_child(message, SAML, "NameID"))
    except XmlRefused:
        return None
    if issuer != settings.idp.entity_id or not name_id or not message.get("ID"):
        return None
    return message.get("ID"), name_id


def logout_response(settings: SamlSettings, in_response_to: str) -> bytes:
    response = etree.Element(
        q(SAMLP, "LogoutResponse"),
        nsmap={"samlp": SAMLP, "saml": SAML},
        ID=new_id(),
        Version="2.0",
        IssueInstant=timestamp(),
        Destination=settings.idp.slo_url or "",
        InResponseTo=in_response_to,
    )
    etree.SubElement(response, q(SAML, "Issuer")).text = settings.entity_id
    status = etree.SubElement(response, q(SAMLP, "Status"))
    etree.SubElement(status, q(SAMLP, "StatusCode"), Value=SUCCESS)
    return etree.tostring(response)
