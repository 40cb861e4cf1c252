from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_type, utcnow

# Free text written by a coordinator or in a programme file, with its limit.
MAX_NAME = 200  # the name columns
MAX_DESCRIPTION = 5000
MAX_GOAL = 1000
MAX_METHOD = 2000
MAX_SOURCE = 500


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class Block(enum.StrEnum):
    TIME_ECONOMY = "time_economy"
    CITIZEN = "citizen"
    EMPLOYEE = "employee"
    CONTEXT = "context"


class BenefitKind(enum.StrEnum):
    HOURS = "hours"
    KRONER = "kroner"


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Programme(Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_da: Mapped[str] = mapped_column(String(MAX_DESCRIPTION), default="")
    description_en: Mapped[str] = mapped_column(String(MAX_DESCRIPTION), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    goals: Mapped[list[ProgrammeGoal]] = relationship(
        back_populates="programme",
        order_by="ProgrammeGoal.position",
        cascade="all, delete-orphan",
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="programme", order_by="Indicator.position", cascade="all, delete-orphan"
    )
    benefits: Mapped[list[BenefitLine]] = relationship(
        back_populates="programme",
        order_by="BenefitLine.position",
        cascade="all, delete-orphan",
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="programme", order_by="Round.opens_at", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ProgrammeGoal(Base):
    """A goal (*målsætning*) a municipality may pick when it applies."""

    __tablename__ = "programme_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text_da: Mapped[str] = mapped_column(String(MAX_GOAL))
    text_en: Mapped[str] = mapped_column(String(MAX_GOAL), default="")

    programme: Mapped[Programme] = relationship(back_populates="goals")


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(64))
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(50), default="")
    unit_en: Mapped[str | None] = mapped_column(String(50))  # the English unit, when given
    direction: Mapped[Direction] = mapped_column(enum_type(Direction, "indicator_direction"))
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency, "indicator_frequency"))
    block: Mapped[Block] = mapped_column(enum_type(Block, "indicator_block"))
    method_da: Mapped[str] = mapped_column(String(MAX_METHOD), default="")
    method_en: Mapped[str] = mapped_column(String(MAX_METHOD), default="")
    source_da: Mapped[str] = mapped_column(String(MAX_SOURCE), default="")
    source_en: Mapped[str] = mapped_column(String(MAX_SOURCE), default="")

    programme: Mapped[Programme] = relationship(back_populates="indicators")


class BenefitLine(Base):
    """A line of the benefit model; the formula is checked and evaluated by the benefits issue."""

    __tablename__ = "benefit_lines"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(64))
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[BenefitKind] = mapped_column(enum_type(BenefitKind, "benefit_kind"))
    formula: Mapped[str] = mapped_column(Text)
    # A dis-benefit (*ulempe*): a negative effect followed up like a benefit, its formula
    # giving the size of the harm; shown apart and subtracted from the gross benefit.
    dis_benefit: Mapped[bool] = mapped_column(Boolean, default=False)

    programme: Mapped[Programme] = relationship(back_populates="benefits")


class Round(Base):
    """One call of a programme (*samarbejdsforløb*).

    Times are UTC; the deadline is entered and shown in Europe/Copenhagen. The participant
    grant is either a fixed amount per participant or a pool shared by the approved
    participants, never both.
    """

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("deadline_at > opens_at", name="deadline_after_opening"),
        CheckConstraint("period_end > period_start", name="period_order"),
        CheckConstraint("lead_grant >= 0", name="lead_grant_not_negative"),
        CheckConstraint(
            "(participant_grant IS NULL) <> (participant_pool IS NULL)",
            name="participant_grant_or_pool",
        ),
        CheckConstraint(
            "participant_grant IS NULL OR participant_grant >= 0", name="grant_not_negative"
        ),
        CheckConstraint(
            "participant_pool IS NULL OR participant_pool >= 0", name="pool_not_negative"
        ),
        CheckConstraint(
            "community_min >= 1 AND community_max >= community_min", name="community_size"
        ),
        CheckConstraint(
            "weight_experience >= 0 AND weight_leadership >= 0 AND weight_readiness >= 0"
            " AND weight_experience + weight_leadership + weight_readiness > 0",
            name="weights",
        ),
        CheckConstraint(
            "disagreement_threshold BETWEEN 1 AND 4", name="disagreement_threshold_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    lead_grant: Mapped[int] = mapped_column(Integer)
    participant_grant: Mapped[int | None] = mapped_column(Integer)
    participant_pool: Mapped[int | None] = mapped_column(Integer)
    community_min: Mapped[int] = mapped_column(Integer)
    community_max: Mapped[int] = mapped_column(Integer)
    weight_experience: Mapped[int] = mapped_column(Integer, default=1)
    weight_leadership: Mapped[int] = mapped_column(Integer, default=1)
    weight_readiness: Mapped[int] = mapped_column(Integer, default=1)
    # Names the benefit formulas may use, as decimal strings so no precision is lost.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What a score of 1, 3 and 5 means per review criterion ({criterion: {"1": text, …}});
    # None or a missing entry falls back to the portal's default texts.
    criteria_guide: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Reviewers disagree on an application when their scores of one criterion lie this many
    # points apart or more (``portal.review.disagreement``).
    disagreement_threshold: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    status: Mapped[RoundStatus] = mapped_column(
        enum_type(RoundStatus, "round_status"), default=RoundStatus.DRAFT
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship(back_populates="rounds")

    __mapper_args__ = {"version_id_col": version}

    def accepts_applications(self, now: datetime) -> bool:
        """Open, and the deadline minute not yet past (a deadline of 12:00 takes 12:00:59)."""
        minute = now.replace(second=0, microsecond=0)
        return (
            self.status == RoundStatus.OPEN and self.opens_at <= now and minute <= self.deadline_at
        )
