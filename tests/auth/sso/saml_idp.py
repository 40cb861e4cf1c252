"""A fixture identity provider shaped like KOMBIT's Context Handler (OIOSAML 3): keys and
certificates made with ``cryptography``, responses built with lxml and signed with
RSASSA-PSS (SHA-256, MGF1) by SignXML, optionally encrypted (RSA-OAEP + AES-GCM) for the
service provider. Each builder step can be bent by a test to make an attack."""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.padding import PKCS7
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import CanonicalizationMethod, SignatureMethod, XMLSigner

from portal.auth.sso.saml import oiosaml
from portal.auth.sso.saml.xml import DS, POST_BINDING, REDIRECT_BINDING, SAML, SAMLP, XENC

IDP_ENTITY_ID = (
    "https://n2adgangsstyring.eksterntest-stoettesystemerne.dk/runtime/saml2/metadata.idp"
)
IDP_SSO_URL = "https://idp.test/sso"
IDP_SLO_URL = "https://idp.test/slo"
SP_ENTITY_ID = "https://skalering.test/sso/saml/metadata"
ROLE_BASE = "http://skalering.test/roles/usersystemrole/skaleringsportalen/"


def key_and_certificate(name: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def pem(thing) -> str:
    if isinstance(thing, x509.Certificate):
        return thing.public_bytes(serialization.Encoding.PEM).decode()
    return thing.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def der_b64(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


def idp_metadata(certificate: x509.Certificate, entity_id: str = IDP_ENTITY_ID) -> bytes:
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{der_b64(certificate)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="{REDIRECT_BINDING}" Location="{IDP_SLO_URL}"/>
    <md:SingleSignOnService Binding="{REDIRECT_BINDING}" Location="{IDP_SSO_URL}"/>
    <md:SingleSignOnService Binding="{POST_BINDING}" Location="{IDP_SSO_URL}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>""".encode()


def privilege_list(groups: dict[str, list[str]]) -> str:
    """A base64 OIO-BPP list: ``{cvr: [role, …]}``."""
    root = etree.Element(f"{{{oiosaml.BPP_NS}}}PrivilegeList", nsmap={"bpp": oiosaml.BPP_NS})
    for cvr, roles in groups.items():
        group = etree.SubElement(root, "PrivilegeGroup", Scope=oiosaml.CVR_SCOPE + cvr)
        for role in roles:
            etree.SubElement(group, "Privilege").text = role
    return base64.b64encode(etree.tostring(root)).decode()


def _e(parent, ns: str, name: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", **attrs)
    if text is not None:
        element.text = text
    return element


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(element: etree._Element, key, certificate, algorithm=SignatureMethod.SHA256_RSA_MGF1):
    """``element`` signed (enveloped, exclusive c14n), the signature after its Issuer."""
    issuer = element.find(f"{{{SAML}}}Issuer")
    placeholder = etree.Element(f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    issuer.addnext(placeholder)
    signer = XMLSigner(
        signature_algorithm=algorithm,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )
    return signer.sign(
        element,
        key=key,
        cert=[certificate],
        reference_uri="#" + element.get("ID"),
        id_attribute="ID",
    )


@dataclass
class Login:
    """One person's login as the fixture provider answers it; tests change the fields."""

    in_response_to: str
    acs_url: str
    subject: str = "d5b0c2f2-5d2e-4d1b-9f3a-0a7d3b3b0001"
    cvr: str | None = "29189803"
    privileges: dict[str, list[str]] = field(default_factory=dict)
    loa: str | None = "Substantial"
    email: str | None = "anne.projektleder@aarhus.dk"
    first_name: str = "Anne"
    last_name: str = "Projektleder"
    audience: str = SP_ENTITY_ID
    issuer: str = IDP_ENTITY_ID
    recipient: str | None = None
    destination: str | None = None
    issued: datetime = field(default_factory=lambda: datetime.now(UTC))
    lifetime: timedelta = timedelta(minutes=5)
    assertion_id: str = field(default_factory=lambda: "_" + uuid.uuid4().hex)


class FixtureIdP:
    def __init__(self, key, certificate, sp_certificate) -> None:
        self.key = key
        self.certificate = certificate
        self.sp_certificate = sp_certificate

    def assertion(self, login: Login) -> etree._Element:
        a = etree.Element(
            f"{{{SAML}}}Assertion",
            nsmap={"saml": SAML},
            ID=login.assertion_id,
            Version="2.0",
            IssueInstant=_iso(login.issued),
        )
        _e(a, SAML, "Issuer", login.issuer)
        subject = _e(a, SAML, "Subject")
        _e(
            subject,
            SAML,
            "NameID",
            login.subject,
            Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        )
        confirmation = _e(
            subject, SAML, "SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
        )
        _e(
            confirmation,
            SAML,
            "SubjectConfirmationData",
            InResponseTo=login.in_response_to,
            NotOnOrAfter=_iso(login.issued + login.lifetime),
            Recipient=login.recipient or login.acs_url,
        )
        conditions = _e(
            a,
            SAML,
            "Conditions",
            NotBefore=_iso(login.issued - timedelta(seconds=5)),
            NotOnOrAfter=_iso(login.issued + login.lifetime),
        )
        _e(_e(conditions, SAML, "AudienceRestriction"), SAML, "Audience", login.audience)
        statement = _e(
            a,
            SAML,
            "AuthnStatement",
            AuthnInstant=_iso(login.issued),
            SessionIndex="_session" + login.assertion_id,
        )
        _e(
            _e(statement, SAML, "AuthnContext"),
            SAML,
            "AuthnContextClassRef",
            "https://data.gov.dk/concept/core/nsis/loa/" + (login.loa or "Low"),
        )
        attributes = _e(a, SAML, "AttributeStatement")
        values = {
            "https://data.gov.dk/model/core/specVersion": "OIO-SAML-3.0",
            oiosaml.CVR: login.cvr,
            oiosaml.LOA: login.loa,
            oiosaml.EMAIL: login.email,
            oiosaml.FIRST_NAME: login.first_name,
            oiosaml.LAST_NAME: login.last_name,
            oiosaml.PRIVILEGES: privilege_list(login.privileges) if login.privileges else None,
        }
        for name, value in values.items():
            if value is not None:
                attribute = _e(
                    attributes,
                    SAML,
                    "Attribute",
                    Name=name,
                    NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                )
                _e(attribute, SAML, "AttributeValue", value)
        return a

    def signed_assertion(self, login: Login, key=None, certificate=None) -> etree._Element:
        return sign(self.assertion(login), key or self.key, certificate or self.certificate)

    def response(self, login: Login, assertion: etree._Element | None = None) -> etree._Element:
        r = etree.Element(
            f"{{{SAMLP}}}Response",
            nsmap={"samlp": SAMLP, "saml": SAML},
            ID="_" + uuid.uuid4().hex,
            Version="2.0",
            IssueInstant=_iso(login.issued),
            Destination=login.destination or login.acs_url,
            InResponseTo=login.in_response_to,
        )
        _e(r, SAML, "Issuer", login.issuer)
        _e(
            _e(r, SAMLP, "Status"),
            SAMLP,
            "StatusCode",
            Value="urn:oasis:names:tc:SAML:2.0:status:Success",
        )
        r.append(assertion if assertion is not None else self.signed_assertion(login))
        return r

    def sign_response(self, response: etree._Element) -> etree._Element:
        return sign(response, self.key, self.certificate)

    def encrypt(self, assertion: etree._Element, mode: str = "gcm") -> etree._Element:
        """An EncryptedAssertion of ``assertion`` for the service provider: ``gcm`` is
        AES-256-GCM with the key by RSA-OAEP (SHA-256) inside EncryptedData; ``cbc`` is
        AES-128-CBC with the key by rsa-oaep-mgf1p (SHA-1) beside it, as older IdPs send."""
        x11 = "http://www.w3.org/2009/xmlenc11#"
        plain = etree.tostring(assertion)
        if mode == "gcm":
            content_key, iv = AESGCM.generate_key(256), os.urandom(12)
            data = iv + AESGCM(content_key).encrypt(iv, plain, None)
            digest, algorithm, transport = hashes.SHA256(), x11 + "aes256-gcm", x11 + "rsa-oaep"
        else:
            content_key, iv = os.urandom(16), os.urandom(16)
            padder = PKCS7(128).padder()
            encryptor = Cipher(algorithms.AES(content_key), modes.CBC(iv)).encryptor()
            data = (
                iv
                + encryptor.update(padder.update(plain) + padder.finalize())
                + encryptor.finalize()
            )
            digest, algorithm, transport = (
                hashes.SHA1(),
                XENC + "aes128-cbc",
                XENC + "rsa-oaep-mgf1p",
            )
        wrapped = self.sp_certificate.public_key().encrypt(
            content_key, padding.OAEP(mgf=padding.MGF1(digest), algorithm=digest, label=None)
        )
        ea = etree.Element(f"{{{SAML}}}EncryptedAssertion", nsmap={"saml": SAML, "xenc": XENC})
        ed = _e(ea, XENC, "EncryptedData", Type=XENC + "Element")
        _e(ed, XENC, "EncryptionMethod", Algorithm=algorithm)
        ek = _e(_e(ed, DS, "KeyInfo") if mode == "gcm" else ea, XENC, "EncryptedKey")
        method = _e(ek, XENC, "EncryptionMethod", Algorithm=transport)
        if mode == "gcm":
            _e(method, DS, "DigestMethod", Algorithm=XENC + "sha256")
            _e(method, x11, "MGF", Algorithm=x11 + "mgf1sha256")
        _e(_e(ek, XENC, "CipherData"), XENC, "CipherValue", base64.b64encode(wrapped).decode())
        _e(_e(ed, XENC, "CipherData"), XENC, "CipherValue", base64.b64encode(data).decode())
        if mode != "gcm":
            ea.append(ek)  # the EncryptedKey after the EncryptedData, as its sibling
        return ea


def encode(response: etree._Element | bytes) -> str:
    raw = response if isinstance(response, bytes) else etree.tostring(response)
    return base64.b64encode(raw).decode()
