"""A municipality's consent to publish its results of one collaboration.

Per participation (one municipality in one round), not per municipality: the leadership
agrees to publish figures it has seen — a collaboration's figures, whose quality and
sensitivity it can judge (a shift-planning round's sick leave and rest-rule breaches are not
a screen-visit round's visits) — and a new collaboration starts unpublished until its
leadership decides, so "off by default" holds for every new set of figures. No row: not
published."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class PublicationConsent(Base):
    __tablename__ = "publication_consents"

    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True
    )
    # The municipality's, like every row it owns (the gate's policies read it).
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    published: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
