"""A SAML Response from the identity provider, verified: the signatures (of the Response
when it has one, of the Assertion always) against the certificates of the provider's
metadata with SignXML, and then every condition read from the signed content that SignXML
hands back (``signed_xml``), never from the document as it arrived.

Checked: the Response's Destination and Status, the Assertion's Issuer, its bearer
SubjectConfirmationData (Recipient, NotOnOrAfter, InResponseTo), its Conditions (NotBefore,
NotOnOrAfter, Audience), an AuthnStatement, the NSIS level where one is required; the
InResponseTo must name a request this browser sent (its signed cookie lists them) that has
not had its answer, and the request's and the Assertion's IDs are recorded in the shared
database so that neither is accepted again, by any process."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree
from signxml import SignatureConfiguration, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature

from portal.auth.sso.saml import oiosaml, store
from portal.auth.sso.saml.decrypt import DecryptionFailed, decrypt_assertion
from portal.auth.sso.saml.models import SamlMessageKind
from portal.auth.sso.saml.settings import LOA_LEVELS, SamlSettings
from portal.auth.sso.saml.xml import (
    BEARER,
    DS,
    SAML,
    SAMLP,
    SUCCESS,
    XmlRefused,
    children,
    one_child,
    parse,
    plain_text,
    q,
)


class SamlRefused(Exception):
    """A response the service provider does not accept; ``code`` says why (for the audit
    log and the tests), the page says only that the login failed."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class VerifiedLogin:
    """What a verified assertion says, and nothing from outside its signature."""

    issuer: str
    subject: str
    assertion_id: str
    session_index: str | None
    attributes: dict[str, tuple[str, ...]]
    next_path: str | None
    request_id: str | None = None  # the AuthnRequest answered

    @property
    def cvr(self) -> str | None:
        return oiosaml.first(self.attributes, oiosaml.CVR)

    @property
    def roles(self) -> tuple[str, ...]:
        """The privileges scoped to the person's own CVR number (none without one)."""
        cvr = self.cvr
        if not cvr:
            return ()
        roles: list[str] = []
        for encoded in self.attributes.get(oiosaml.PRIVILEGES, ()):
            roles += [r for r in oiosaml.privileges_for(encoded, cvr) if r not in roles]
        return tuple(roles)

    @property
    def loa(self) -> str | None:
        return oiosaml.first(self.attributes, oiosaml.LOA)

    @property
    def email(self) -> str | None:
        return oiosaml.first(self.attributes, oiosaml.EMAIL)

    @property
    def name(self) -> str | None:
        return oiosaml.person_name(self.attributes)


def verify_response(
    settings: SamlSettings,
    encoded: str,
    acs_url: str,
    pending: Mapping[str, str | None],
    now: datetime | None = None,
) -> VerifiedLogin:
    """The login in the base64 SAMLResponse ``encoded`` posted to ``acs_url``, answering one
    of this browser's ``pending`` requests (request ID → where to go next), or SamlRefused."""
    now = now or datetime.now(UTC)
    skew = timedelta(seconds=settings.clock_skew_seconds)
    try:
        raw = base64.b64decode("".join(encoded.split()), validate=True)
        root = parse(raw)
    except (binascii.Error, XmlRefused) as error:
        raise SamlRefused("malformed", str(error)) from error
    if root.tag != q(SAMLP, "Response"):
        raise SamlRefused("malformed", "not a Response")
    try:
        return _verify(settings, raw, root, acs_url, pending, now, skew)
    except XmlRefused as error:
        raise SamlRefused("malformed", str(error)) from error


def _verify(settings, raw, root, acs_url, pending, now, skew) -> VerifiedLogin:
    response_signed = one_child(root, DS, "Signature") is not None
    response = _signed(settings, raw, root) if response_signed else root
    if response.get("Version") != "2.0":
        raise SamlRefused("malformed", "not SAML 2.0")
    destination = response.get("Destination")
    if (response_signed or destination is not None) and destination != acs_url:
        raise SamlRefused("destination", destination or "")
    issuer = one_child(response, SAML, "Issuer")
    if issuer is not None and plain_text(issuer) != settings.idp.entity_id:
        raise SamlRefused("issuer", plain_text(issuer) or "")
    status = one_child(response, SAMLP, "Status")
    code = one_child(status, SAMLP, "StatusCode") if status is not None else None
    if code is None or code.get("Value") != SUCCESS:
        raise SamlRefused("status", code.get("Value", "") if code is not None else "")

    encrypted = children(response, SAML, "EncryptedAssertion")
    plain = children(response, SAML, "Assertion")
    if len(encrypted) + len(plain) != 1:
        raise SamlRefused("assertions", f"{len(plain)} assertions, {len(encrypted)} encrypted")
    if encrypted:
        try:
            assertion_xml = decrypt_assertion(encrypted[0], settings.key)
            assertion_root = parse(assertion_xml)
        except (DecryptionFailed, XmlRefused) as error:
            raise SamlRefused("decryption") from error
    else:
        assertion_root = plain[0]
        assertion_xml = etree.tostring(assertion_root)
    if assertion_root.tag != q(SAML, "Assertion"):
        raise SamlRefused("assertions", "not an Assertion")
    if one_child(assertion_root, DS, "Signature") is None:
        raise SamlRefused("unsigned", "the assertion is not signed")
    assertion = _signed(settings, assertion_xml, assertion_root)

    login, in_response_to, until = _read_assertion(settings, assertion, acs_url, now, skew)
    response_answers = response.get("InResponseTo")
    if response_answers is not None and response_answers != in_response_to:
        raise SamlRefused("in_response_to", "the response and the assertion differ")
    if settings.required_loa and not _loa_enough(login.loa, settings.required_loa):
        raise SamlRefused("loa", login.loa or "")
    if not store.use_once(SamlMessageKind.ASSERTION, login.assertion_id, until + skew):
        raise SamlRefused("replayed", login.assertion_id)
    if in_response_to not in pending:
        raise SamlRefused("in_response_to", in_response_to)
    lifetime = timedelta(seconds=settings.request_lifetime_seconds)
    if not store.use_once(SamlMessageKind.REQUEST, in_response_to, now + lifetime + skew):
        raise SamlRefused("in_response_to", f"{in_response_to} was answered before")
    return VerifiedLogin(
        **{**login.__dict__, "next_path": pending[in_response_to], "request_id": in_response_to}
    )


def _signed(settings: SamlSettings, data: bytes, root: etree._Element) -> etree._Element:
    """The element ``root`` as SignXML verified it: its own enveloped signature (a direct
    child), made with a key of the provider's metadata, referring to ``root`` itself."""
    config = SignatureConfiguration(location="./", expect_references=1)
    errors = []
    for certificate in settings.idp.certificates:
        try:
            result = XMLVerifier().verify(
                data, x509_cert=certificate, id_attribute="ID", expect_config=config
            )
        except (InvalidSignature, InvalidInput, ValueError) as error:
            errors.append(str(error))
            continue
        signed = result.signed_xml
        if signed is None or signed.tag != root.tag or signed.get("ID") != root.get("ID"):
            raise SamlRefused("signature", "the signature covers another element")
        return signed
    raise SamlRefused("signature", "; ".join(errors))


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise SamlRefused("malformed", f"{name}: {value}") from error
    if moment.tzinfo is None:
        raise SamlRefused("malformed", f"{name} without a time zone")
    return moment.astimezone(UTC)


def _read_assertion(settings, assertion, acs_url, now, skew):
    if assertion.get("Version") != "2.0" or not assertion.get("ID"):
        raise SamlRefused("malformed", "assertion version or ID")
    issuer = plain_text(one_child(assertion, SAML, "Issuer"))
    if issuer != settings.idp.entity_id:
        raise SamlRefused("issuer", issuer or "")
    subject = one_child(assertion, SAML, "Subject")
    name_id = plain_text(one_child(subject, SAML, "NameID")) if subject is not None else None
    if not name_id:
        raise SamlRefused("subject", "no NameID")

    in_response_to, confirmed_until = _confirmation(subject, acs_url, now, skew)
    conditions = one_child(assertion, SAML, "Conditions")
    if conditions is None:
        raise SamlRefused("conditions", "none")
    not_before = _time(conditions.get("NotBefore"), "NotBefore")
    not_after = _time(conditions.get("NotOnOrAfter"), "NotOnOrAfter")
    if not_before is not None and now + skew < not_before:
        raise SamlRefused("expired", "not yet valid")
    if not_after is not None and now - skew >= not_after:
        raise SamlRefused("expired", "conditions")
    restrictions = children(conditions, SAML, "AudienceRestriction")
    if not restrictions or any(
        settings.entity_id not in [plain_text(a) for a in children(r, SAML, "Audience")]
        for r in restrictions
    ):
        raise SamlRefused("audience")
    statements = children(assertion, SAML, "AuthnStatement")
    if not statements:
        raise SamlRefused("malformed", "no AuthnStatement")
    login = VerifiedLogin(
        issuer=issuer,
        subject=name_id,
        assertion_id=assertion.get("ID"),
        session_index=statements[0].get("SessionIndex"),
        attributes=_attributes(assertion),
        next_path=None,
    )
    return login, in_response_to, max(filter(None, (confirmed_until, not_after)))


def _confirmation(subject, acs_url, now, skew) -> tuple[str, datetime]:
    """The InResponseTo and expiry of the subject's bearer confirmation for this endpoint."""
    reasons = []
    for confirmation in children(subject, SAML, "SubjectConfirmation"):
        data = one_child(confirmation, SAML, "SubjectConfirmationData")
        if confirmation.get("Method") != BEARER or data is None:
            continue
        until = _time(data.get("NotOnOrAfter"), "NotOnOrAfter")
        if data.get("Recipient") != acs_url:
            reasons.append(("recipient", data.get("Recipient") or ""))
        elif until is None or now - skew >= until:
            reasons.append(("expired", "subject confirmation"))
        elif data.get("NotBefore") is not None:
            reasons.append(("malformed", "a bearer confirmation has no NotBefore"))
        elif not data.get("InResponseTo"):
            reasons.append(("in_response_to", "unsolicited"))
        else:
            return data.get("InResponseTo"), until
    code, detail = reasons[0] if reasons else ("subject", "no bearer confirmation")
    raise SamlRefused(code, detail)


def _attributes(assertion) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for statement in children(assertion, SAML, "AttributeStatement"):
        for attribute in children(statement, SAML, "Attribute"):
            values = [plain_text(v) or "" for v in children(attribute, SAML, "AttributeValue")]
            found.setdefault(attribute.get("Name") or "", []).extend(values)
    return {name: tuple(values) for name, values in found.items()}


def _loa_enough(level: str | None, required: str) -> bool:
    # The attribute may carry the level's name or its URI (…/nsis/loa#Substantial).
    name = (level or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return name in LOA_LEVELS and LOA_LEVELS.index(name) >= LOA_LEVELS.index(required)
