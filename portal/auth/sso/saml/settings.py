"""The service provider's configuration: its own entity ID, certificate and key, and what the
identity provider's metadata file says (entity ID, signing certificates, where to send the
user to log in and out). Read once when the app starts; a broken file stops the start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from signxml import SignatureMethod

from portal.auth.sso.saml.xml import DS, MD, NS, REDIRECT_BINDING, parse, q
from portal.config import ConfigError

# NSIS assurance levels, lowest first (https://data.gov.dk/concept/core/nsis/loa).
LOA_LEVELS = ("Low", "Substantial", "High")
SIGNATURE_ALGORITHMS = {
    # OIOSAML 3 with OCES3 certificates signs with RSASSA-PSS; RSA-SHA256 for others.
    "rsa-pss-sha256": SignatureMethod.SHA256_RSA_MGF1,
    "rsa-sha256": SignatureMethod.RSA_SHA256,
}
SETTINGS = ("SAML_SP_ENTITY_ID", "SAML_SP_CERT", "SAML_SP_KEY", "SAML_IDP_METADATA")


@dataclass(frozen=True)
class IdentityProvider:
    entity_id: str
    certificates: tuple[x509.Certificate, ...]
    sso_url: str
    slo_url: str | None


@dataclass(frozen=True)
class SamlSettings:
    entity_id: str
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    idp: IdentityProvider
    required_loa: str | None
    signature_algorithm: SignatureMethod
    clock_skew_seconds: int = 90
    request_lifetime_seconds: int = 15 * 60

    @property
    def certificate_pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


def saml_config(env) -> dict:
    """The SAML settings for ``load_config``, as given (read and checked by ``load_settings``
    when the app starts)."""
    names = (*SETTINGS, "SAML_REQUIRED_LOA", "SAML_SIGNATURE_ALGORITHM")
    return {name: env.get(name, "").strip() for name in names}


def configured(config) -> bool:
    return any((config.get(name) or "").strip() for name in SETTINGS)


def _read(value: str, name: str) -> bytes:
    """A PEM or XML setting: the text itself, or the path of a file holding it."""
    value = value.strip()
    if value.startswith(("-----BEGIN", "<")):
        return value.encode()
    try:
        return Path(value).read_bytes()
    except OSError as error:
        raise ConfigError(f"{name}: cannot read {value!r}: {error}") from error


def load_settings(config) -> SamlSettings:
    missing = [name for name in SETTINGS if not (config.get(name) or "").strip()]
    if missing:
        raise ConfigError(f"SAML needs all of {', '.join(SETTINGS)}; missing: {', '.join(missing)}")
    base = config.get("PORTAL_BASE_URL") or ""
    if config.get("PORTAL_ENV") == "production" and not base.startswith("https://"):
        # the addresses in the metadata and the checks of Destination and Recipient use it
        raise ConfigError("SAML needs PORTAL_BASE_URL=https://… when PORTAL_ENV=production")
    try:
        certificate = x509.load_pem_x509_certificate(_read(config["SAML_SP_CERT"], "SAML_SP_CERT"))
        key = serialization.load_pem_private_key(
            _read(config["SAML_SP_KEY"], "SAML_SP_KEY"), password=None
        )
    except ValueError as error:
        raise ConfigError(f"SAML_SP_CERT/SAML_SP_KEY: {error}") from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError("SAML_SP_KEY must be an RSA key")
    loa = (config.get("SAML_REQUIRED_LOA") or "").strip() or None
    if loa is not None and loa not in LOA_LEVELS:
        raise ConfigError(f"SAML_REQUIRED_LOA must be one of {', '.join(LOA_LEVELS)}")
    algorithm = (config.get("SAML_SIGNATURE_ALGORITHM") or "rsa-pss-sha256").strip()
    if algorithm not in SIGNATURE_ALGORITHMS:
        raise ConfigError(
            f"SAML_SIGNATURE_ALGORITHM must be one of {', '.join(SIGNATURE_ALGORITHMS)}"
        )
    return SamlSettings(
        entity_id=config["SAML_SP_ENTITY_ID"].strip(),
        certificate=certificate,
        key=key,
        idp=read_idp_metadata(_read(config["SAML_IDP_METADATA"], "SAML_IDP_METADATA")),
        required_loa=loa,
        signature_algorithm=SIGNATURE_ALGORITHMS[algorithm],
    )


def read_idp_metadata(data: bytes) -> IdentityProvider:
    """The identity provider in a metadata file (an EntityDescriptor, or the first with an
    IDPSSODescriptor in an EntitiesDescriptor). The file is trusted as the operator's: it
    is where the trust in the provider's certificates comes from."""
    try:
        root = parse(data)
    except ValueError as error:
        raise ConfigError(f"SAML_IDP_METADATA: {error}") from error
    entities = (
        [root] if root.tag == q(MD, "EntityDescriptor") else root.iter(q(MD, "EntityDescriptor"))
    )
    for entity in entities:
        descriptor = entity.find("md:IDPSSODescriptor", NS)
        if descriptor is not None:
            return _identity_provider(entity, descriptor)
    raise ConfigError("SAML_IDP_METADATA has no IDPSSODescriptor")


def _identity_provider(entity: etree._Element, descriptor: etree._Element) -> IdentityProvider:
    certificates = []
    for key in descriptor.findall("md:KeyDescriptor", NS):
        if key.get("use") not in (None, "signing"):
            continue
        for text in key.findall(f".//{q(DS, 'X509Certificate')}"):
            pem = "-----BEGIN CERTIFICATE-----\n" + "".join((text.text or "").split())
            certificates.append(
                x509.load_pem_x509_certificate((pem + "\n-----END CERTIFICATE-----\n").encode())
            )
    if not certificates:
        raise ConfigError("SAML_IDP_METADATA names no signing certificate")
    sso = {
        s.get("Binding"): s.get("Location")
        for s in descriptor.findall("md:SingleSignOnService", NS)
    }
    if not sso.get(REDIRECT_BINDING):  # the portal sends its AuthnRequest by HTTP-Redirect
        raise ConfigError("SAML_IDP_METADATA has no SingleSignOnService for HTTP-Redirect")
    slo = {
        s.get("Binding"): s.get("Location")
        for s in descriptor.findall("md:SingleLogoutService", NS)
    }
    return IdentityProvider(
        entity_id=entity.get("entityID") or "",
        certificates=tuple(certificates),
        sso_url=sso[REDIRECT_BINDING],
        slo_url=slo.get(REDIRECT_BINDING),
    )
