"""The figures a participation records: baseline, target (*målbillede*), measurements per
period and costs.

Every row carries its participation's ``municipality_id`` (set by the services from the
participation, never from input) so the scoping helpers can restrict reads to it. Values are
``Numeric`` (Decimal): up to twelve whole digits and four decimals; costs in kroner and øre.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.participations.models import Participation
from portal.programmes.models import Indicator

VALUE = Numeric(16, 4)  # twelve whole digits, four decimals
AMOUNT = Numeric(14, 2)  # kroner and øre
MAX_CATEGORY = 100
MAX_NOTE = 1000  # a source or a note


class CostKind(enum.StrEnum):
    ONE_OFF = "one_off"
    YEARLY = "yearly"

    @property
    def word(self) -> str:
        """How files write it before a cost's category: ``engangs:Licenser``, ``årlig:Drift``."""
        return "engangs" if self is CostKind.ONE_OFF else "årlig"

    def file_word(self) -> str:
        """The word in a file made for the reader: Danish, or ``one_off``/``yearly`` for an
        English reader (an import reads both)."""
        from flask_babel import get_locale

        return self.value if str(get_locale()) == "en" else self.word


class Quality(enum.StrEnum):
    """How sure a figure is; none (``None``) is a measured figure."""

    ESTIMATED = "estimated"  # skønnet
    PROVISIONAL = "provisional"  # foreløbig
    REVISED = "revised"  # revideret: a break in the series


class FigureKind(enum.StrEnum):
    """The figures of the target picture that are frozen when it is approved."""

    BASELINE = "baseline"
    TARGET = "target"


class _Figure:
    """Columns every figure shares: whose it is, who changed it last, and when."""

    # sort_order: the shared columns frame each table's own (id first, bookkeeping last).
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-3)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True, sort_order=-2
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True, sort_order=-1
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, sort_order=1)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, sort_order=1
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), sort_order=1
    )
    version: Mapped[int] = mapped_column(default=1, sort_order=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}


class Baseline(_Figure, Base):
    """The value an indicator had before the collaboration (one per indicator)."""

    __tablename__ = "baselines"
    __table_args__ = (UniqueConstraint("participation_id", "indicator_id"),)

    # RESTRICT: an indicator with recorded figures cannot silently take them with it.
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[Decimal] = mapped_column(VALUE)
    measured_on: Mapped[date] = mapped_column(Date)
    source_note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")
    quality: Mapped[Quality | None] = mapped_column(enum_type(Quality, "figure_quality"))

    participation: Mapped[Participation] = relationship()
    indicator: Mapped[Indicator] = relationship()


class Target(_Figure, Base):
    """The target picture (*målbillede*): the likely value by a date, optionally with a
    pessimistic and an optimistic value as KL recommends."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("participation_id", "indicator_id"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    value: Mapped[Decimal] = mapped_column(VALUE)
    target_date: Mapped[date] = mapped_column(Date)
    pessimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    optimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")
    quality: Mapped[Quality | None] = mapped_column(enum_type(Quality, "figure_quality"))

    participation: Mapped[Participation] = relationship()
    indicator: Mapped[Indicator] = relationship()


class Measurement(_Figure, Base):
    """One value per indicator and period; ``period`` is the first day of the month, quarter
    or year (by the indicator's frequency)."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("participation_id", "indicator_id", "period"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(VALUE)
    note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")
    quality: Mapped[Quality | None] = mapped_column(enum_type(Quality, "figure_quality"))

    participation: Mapped[Participation] = relationship()
    indicator: Mapped[Indicator] = relationship()


class FollowUpMeasurement(_Figure, Base):
    """A key indicator's value for a period *after* the collaboration ended, recorded for the
    follow-up a year after (the state's practice: a benefits report a year after completion).

    Kept apart from ``Measurement``, so it is never counted in the collaboration's own
    period, in its benefits, status or charts: only the follow-up reads it
    (``portal.benefits.calculation.follow_up``)."""

    __tablename__ = "follow_up_measurements"
    __table_args__ = (UniqueConstraint("participation_id", "indicator_id", "period"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    period: Mapped[date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(VALUE)
    note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")

    participation: Mapped[Participation] = relationship()
    indicator: Mapped[Indicator] = relationship()


class Cost(_Figure, Base):
    """A one-off or yearly cost (licences, equipment, project management, operation).

    One per kind, category and date: importing the same cost again updates its amount."""

    __tablename__ = "costs"
    __table_args__ = (
        UniqueConstraint("participation_id", "kind", "category", "incurred_on"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    kind: Mapped[CostKind] = mapped_column(enum_type(CostKind, "cost_kind"))
    category: Mapped[str] = mapped_column(String(MAX_CATEGORY))
    incurred_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(AMOUNT)
    note: Mapped[str] = mapped_column(String(MAX_NOTE), default="")

    participation: Mapped[Participation] = relationship()


class FigureVersion(Base):
    """A version of a frozen baseline or target (``portal.benefits.recording.freeze``).

    Number 1 is what the coordinator approved; every change after that adds the next number
    with the new values, its reason, who and when. The ``Baseline``/``Target`` row always
    holds the current values; these rows are never changed or deleted (the history)."""

    __tablename__ = "figure_versions"
    __table_args__ = (UniqueConstraint("participation_id", "indicator_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[FigureKind] = mapped_column(enum_type(FigureKind, "figure_version_kind"))
    number: Mapped[int]
    value: Mapped[Decimal] = mapped_column(VALUE)
    day: Mapped[date] = mapped_column(Date)  # the baseline's measuring date, the target's date
    pessimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    optimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    reason: Mapped[str] = mapped_column(String(MAX_NOTE), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    indicator: Mapped[Indicator] = relationship()
