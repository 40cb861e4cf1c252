"""What the SAML service provider remembers, in the shared database so that every app process
sees it: the requests answered and the assertions accepted, each once only. Rows are kept
until what they name has expired, then swept."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_type


class SamlMessageKind(enum.StrEnum):
    REQUEST = "request"  # an AuthnRequest that has had its answer: never again
    ASSERTION = "assertion"  # an assertion we accepted: never again


class SamlMessage(Base):
    __tablename__ = "saml_messages"

    kind: Mapped[SamlMessageKind] = mapped_column(
        enum_type(SamlMessageKind, "saml_message_kind"), primary_key=True
    )
    # The request's or the assertion's ID (xsd:ID, at most 256 characters in practice).
    message_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
