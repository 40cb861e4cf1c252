"""What a protocol adapter (SAML, OpenID Connect) hands the one mapping layer: the person as
the identity provider vouched for them, and the refusal any step may raise.

The adapters verify the protocol (signatures, audience, expiry, replay …) and build an
``ExternalIdentity`` only from verified content; ``mapping.admit`` decides who that is in the
portal; ``views.finish_login`` logs them in or shows the refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExternalIdentity:
    protocol: str  # "saml" or "oidc"
    issuer: str  # the IdP entity id / OIDC issuer
    subject: str  # NameID / sub: stable id at the provider
    cvr: str | None  # the person's organisation CVR
    roles: tuple[str, ...]  # role names as registered at the provider, already limited to this CVR
    email: str | None = None
    name: str | None = None
    loa: str | None = None  # NSIS level (SAML) / acr (OIDC)


class Refused(Exception):
    """A login that may not go on.

    ``code`` is a short English id for the audit log (``"unknown_cvr"``, ``"bad_state"``);
    ``reason`` the Danish text (a gettext string) shown on the refusal page, saying what is
    missing; ``details`` go into the audit line beside the code. Raise it with keywords::

        raise Refused(code="bad_signature", reason=_("Svaret fra ... kunne ikke godkendes."))
    """

    def __init__(self, code: str, reason: Any, **details: Any) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.details = details
