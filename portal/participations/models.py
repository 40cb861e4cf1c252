"""Participations, communities and grants: what an approved municipality has in a round.

A ``Participation`` is an approved municipality's membership of a round (from an approved
application, or imported for collaborations that began before the portal); it owns the
grant, its disbursements and, in the benefits domain, the figures.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import ApplicantRole, Application
from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.municipalities.models import Municipality
from portal.programmes.models import Round

MAX_REASON = 2000  # a grant override's reason
MAX_NOTE = 500  # a disbursement's note


class ParticipationSource(enum.StrEnum):
    APPLICATION = "application"
    IMPORT = "import"


class Community(Base):
    """A fællesskab: one lead and the participants it drives, within the round's size limits."""

    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("round_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[Round] = relationship()
    participations: Mapped[list[Participation]] = relationship(
        back_populates="community", order_by="Participation.id"
    )

    __mapper_args__ = {"version_id_col": version}


class Participation(Base):
    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("round_id", "municipality_id"),
        CheckConstraint("grant_amount IS NULL OR grant_amount >= 0", name="grant_not_negative"),
        CheckConstraint(
            "grant_override IS NULL OR grant_override >= 0", name="override_not_negative"
        ),
        CheckConstraint(
            "hourly_cost_override IS NULL OR hourly_cost_override > 0",
            name="hourly_cost_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[ApplicantRole] = mapped_column(enum_type(ApplicantRole, "participation_role"))
    source: Mapped[ParticipationSource] = mapped_column(
        enum_type(ParticipationSource, "participation_source"),
        default=ParticipationSource.APPLICATION,
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    # The grant by the round's rule (kroner), recomputed when approvals change; an override
    # with its reason replaces it for this municipality.
    grant_amount: Mapped[int | None] = mapped_column(Integer)
    grant_override: Mapped[int | None] = mapped_column(Integer)
    grant_override_reason: Mapped[str] = mapped_column(String(MAX_REASON), default="")
    # The benefit owner (*gevinstejer*), and the municipality's own hourly cost (kroner) in
    # place of the round's annual_cost ÷ annual_hours; recorded in the benefits domain.
    benefit_owner_name: Mapped[str] = mapped_column(String(150), default="")
    benefit_owner_title: Mapped[str] = mapped_column(String(150), default="")
    hourly_cost_override: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    # When the coordinator approved the baseline and target picture: from then on they are
    # frozen, and a change is a new version with a reason (``portal.benefits.recording.freeze``).
    picture_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    picture_approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[Round] = relationship()
    municipality: Mapped[Municipality] = relationship()
    application: Mapped[Application | None] = relationship()
    community: Mapped[Community | None] = relationship(back_populates="participations")
    disbursements: Mapped[list[Disbursement]] = relationship(
        back_populates="participation",
        cascade="all, delete-orphan",
        order_by="Disbursement.paid_on",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def grant(self) -> int | None:
        return self.grant_override if self.grant_override is not None else self.grant_amount


class Disbursement(Base):
    """A payment of (part of) a grant."""

    __tablename__ = "disbursements"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participation: Mapped[Participation] = relationship(back_populates="disbursements")
