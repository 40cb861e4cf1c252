"""An EncryptedAssertion opened with the service provider's key: the content key by RSA-OAEP,
the assertion by AES-GCM or AES-CBC (XML Encryption 1.1), with ``cryptography``'s primitives.
No XML is canonicalised or signed here; the assertion that comes out is verified like any
other. Every failure is the same ``DecryptionFailed``, so that the answer says nothing about
where it failed (the CBC padding in particular)."""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from lxml import etree

from portal.auth.sso.saml.xml import DS, XENC, XENC11, q

_XENC = "http://www.w3.org/2001/04/xmlenc#"
_XENC11 = "http://www.w3.org/2009/xmlenc11#"
CONTENT = {
    _XENC + "aes128-cbc": ("cbc", 16),
    _XENC + "aes192-cbc": ("cbc", 24),
    _XENC + "aes256-cbc": ("cbc", 32),
    _XENC11 + "aes128-gcm": ("gcm", 16),
    _XENC11 + "aes192-gcm": ("gcm", 24),
    _XENC11 + "aes256-gcm": ("gcm", 32),
}
KEY_TRANSPORT = {_XENC + "rsa-oaep-mgf1p", _XENC11 + "rsa-oaep"}
DIGESTS = {
    "http://www.w3.org/2000/09/xmldsig#sha1": hashes.SHA1,
    _XENC + "sha256": hashes.SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashes.SHA384,
    _XENC + "sha512": hashes.SHA512,
}
MGFS = {
    _XENC11 + "mgf1sha1": hashes.SHA1,
    _XENC11 + "mgf1sha224": hashes.SHA224,
    _XENC11 + "mgf1sha256": hashes.SHA256,
    _XENC11 + "mgf1sha384": hashes.SHA384,
    _XENC11 + "mgf1sha512": hashes.SHA512,
}


class DecryptionFailed(ValueError):
    pass


def decrypt_assertion(encrypted_assertion: etree._Element, key: rsa.RSAPrivateKey) -> bytes:
    """The plaintext (the serialised Assertion) of an EncryptedAssertion."""
    data = encrypted_assertion.find(q(XENC, "EncryptedData"))
    if data is None:
        raise DecryptionFailed()
    method = data.find(q(XENC, "EncryptionMethod"))
    algorithm = CONTENT.get(method.get("Algorithm") if method is not None else "")
    if algorithm is None:
        raise DecryptionFailed()
    candidates = list(data.iterfind(f"{q(DS, 'KeyInfo')}/{q(XENC, 'EncryptedKey')}"))
    candidates += list(encrypted_assertion.iterfind(q(XENC, "EncryptedKey")))
    cipher_text = _cipher_value(data)
    for encrypted_key in candidates:
        try:
            content_key = _unwrap(encrypted_key, key)
        except (DecryptionFailed, ValueError):
            continue
        if len(content_key) == algorithm[1]:
            return _open(algorithm[0], content_key, cipher_text)
    raise DecryptionFailed()


def _cipher_value(element: etree._Element) -> bytes:
    value = element.find(f"{q(XENC, 'CipherData')}/{q(XENC, 'CipherValue')}")
    if value is None or len(value):
        raise DecryptionFailed()
    try:
        return base64.b64decode("".join((value.text or "").split()), validate=True)
    except binascii.Error as error:
        raise DecryptionFailed() from error


def _unwrap(encrypted_key: etree._Element, key: rsa.RSAPrivateKey) -> bytes:
    method = encrypted_key.find(q(XENC, "EncryptionMethod"))
    if method is None or method.get("Algorithm") not in KEY_TRANSPORT:
        raise DecryptionFailed()
    digest_method = method.find(q(DS, "DigestMethod"))
    digest = DIGESTS.get(
        digest_method.get("Algorithm") if digest_method is not None else DS + "sha1"
    )
    mgf_method = method.find(q(XENC11, "MGF"))
    if method.get("Algorithm") == _XENC + "rsa-oaep-mgf1p":
        mgf = hashes.SHA1  # the 2001 algorithm fixes MGF1 with SHA-1
    else:
        mgf = MGFS.get(
            mgf_method.get("Algorithm") if mgf_method is not None else _XENC11 + "mgf1sha1"
        )
    if digest is None or mgf is None:
        raise DecryptionFailed()
    label_element = method.find(q(XENC, "OAEPparams"))
    label = base64.b64decode(label_element.text or "") if label_element is not None else None
    return key.decrypt(
        _cipher_value(encrypted_key),
        padding.OAEP(mgf=padding.MGF1(algorithm=mgf()), algorithm=digest(), label=label or None),
    )


def _open(mode: str, content_key: bytes, cipher_text: bytes) -> bytes:
    try:
        if mode == "gcm":  # 12-byte IV, then the cipher text with its 16-byte tag
            if len(cipher_text) < 12 + 16:
                raise DecryptionFailed()
            return AESGCM(content_key).decrypt(cipher_text[:12], cipher_text[12:], None)
        if len(cipher_text) < 32 or len(cipher_text) % 16:
            raise DecryptionFailed()
        decryptor = Cipher(algorithms.AES(content_key), modes.CBC(cipher_text[:16])).decryptor()
        plain = decryptor.update(cipher_text[16:]) + decryptor.finalize()
    except (InvalidTag, ValueError) as error:
        raise DecryptionFailed() from error
    pad = plain[-1]  # XML Encryption padding: the last byte says how many to drop
    if not 1 <= pad <= 16:
        raise DecryptionFailed()
    return plain[:-pad]
