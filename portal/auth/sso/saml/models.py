"""What the SAML service provider remembers between requests, in the shared database so that
every app process sees it: the AuthnRequests it sent (answered once, by the browser that
asked) and the assertions it accepted (one-time use). Rows expire; expired rows are swept."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_type


class SamlMessageKind(enum.StrEnum):
    REQUEST = "request"  # an AuthnRequest we sent, waiting for its answer
    ASSERTION = "assertion"  # an assertion we accepted: never again


class SamlMessage(Base):
    __tablename__ = "saml_messages"

    kind: Mapped[SamlMessageKind] = mapped_column(
        enum_type(SamlMessageKind, "saml_message_kind"), primary_key=True
    )
    # The request's or the assertion's ID (xsd:ID, at most 256 characters in practice).
    message_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    # A request's browser: the SHA-256 of a random value kept in that browser's cookie.
    browser: Mapped[str] = mapped_column(String(64), default="")
    # Where a request's user goes after login (a path on this site).
    next_path: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
