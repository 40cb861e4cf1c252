"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from the
``cryptography`` package), never stored, logged or audited in the clear.

The keys come from the configuration (``WEBHOOKS_SECRET_KEYS``, read by ``portal.config``):

- ``WEBHOOKS_SECRET_KEY`` set: one or more Fernet keys (``portal webhooks new-key`` makes
  one), separated by commas. The first encrypts; every one decrypts (``MultiFernet``), so a
  key is rotated by putting a new one first, running ``portal webhooks reseal`` (every
  secret encrypted anew under the first key) and then removing the old one.
- unset: one key derived from ``SECRET_KEY`` by HKDF-SHA256 (its own ``info`` label, so it is
  independent of every other use of ``SECRET_KEY``). One secret less to manage, and never a
  built-in default: production requires ``SECRET_KEY``. But changing ``SECRET_KEY`` then makes
  the stored secrets unreadable, so production warns at start (``portal.config``). The
  derived key always decrypts last, so moving to an explicit key is: set it, ``reseal``.

Decryption happens just in time: the sending code opens a secret to sign one attempt, the
page opens a new one for its one showing.
"""

from __future__ import annotations

import base64
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

HKDF_INFO = b"skaleringsportalen/webhooks/secrets/v1"


class SecretKeyError(ValueError):
    """A configured key that is not a Fernet key (32 bytes, URL-safe base64)."""


class UnreadableSecret(RuntimeError):
    """A stored secret that none of the configured keys opens (a key was removed too soon,
    or ``SECRET_KEY`` changed while the key was derived from it)."""


def derived_key(secret_key: str) -> str:
    """The Fernet key HKDF-SHA256 derives from ``SECRET_KEY``."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode())).decode()


def parse_keys(text: str | None) -> list[str]:
    """The Fernet keys of ``WEBHOOKS_SECRET_KEY`` (comma- or space-separated), checked."""
    keys = [k for k in re.split(r"[,\s]+", text or "") if k]
    for n, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise SecretKeyError(
                f"WEBHOOKS_SECRET_KEY: key {n} is not a Fernet key "
                "(make one with `portal webhooks new-key`)"
            ) from None
    return keys


def keys_for(explicit: list[str], secret_key: str) -> list[str]:
    """The keys in force: the explicit ones (the first encrypts), then the derived one."""
    derived = derived_key(secret_key)
    return [*explicit, derived] if derived not in explicit else list(explicit)


def new_key() -> str:
    return Fernet.generate_key().decode()


def _cipher(keys: list[str] | None = None) -> MultiFernet:
    if keys is None:
        from flask import current_app

        keys = current_app.config["WEBHOOKS_SECRET_KEYS"]
    return MultiFernet([Fernet(k) for k in keys])


def seal(plain: str, keys: list[str] | None = None) -> str:
    """``plain`` encrypted under the first key; the empty string stays empty (no secret)."""
    if not plain:
        return ""
    return _cipher(keys).encrypt(plain.encode()).decode()


def unseal(token: str, keys: list[str] | None = None) -> str:
    """The secret ``token`` holds (``UnreadableSecret`` when no key opens it)."""
    if not token:
        return ""
    try:
        return _cipher(keys).decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret("a webhook secret that no configured key decrypts") from None


def reseal(token: str, keys: list[str] | None = None) -> str:
    """``token`` encrypted anew under the first key (a key rotation's second step)."""
    if not token:
        return ""
    try:
        return _cipher(keys).rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret("a webhook secret that no configured key decrypts") from None
