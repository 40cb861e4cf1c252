"""The stored results: per participation a summary, per participation × indicator its
figures and progress, per participation × month its benefits and per line.

Every value is ``Numeric`` at a fixed scale and quantised in Python before it is written
(``refresh.q``), so SQLite (which keeps a NUMERIC as a double) and PostgreSQL hand back the
same Decimal and a rebuild compares equal to an incremental refresh. Nothing that depends on
today is stored: the status is judged when read, from the stored progress and dates
(``read.stored_evaluations``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow

VALUE = Numeric(16, 4)  # an indicator's value, as recorded (benefits.models.VALUE)
AMOUNT = Numeric(18, 4)  # hours or kroner: up to 14 whole digits
RATIO = Numeric(18, 8)  # progress, FTE
SLOPE = Numeric(24, 12)  # a trend's change per day


def _participation() -> Mapped[int]:
    return mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True, sort_order=-3
    )


def _round() -> Mapped[int]:
    # The round, so a round's rows are read with one indexed query (medians, totals).
    return mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True, sort_order=-1)


class ParticipationResult(Base):
    """One participation's totals and the version of its stored results (raised by every
    refresh: pages derive their ETag and chart cache keys from it)."""

    __tablename__ = "participation_results"

    participation_id: Mapped[int] = _participation()
    round_id: Mapped[int] = _round()
    data_version: Mapped[int] = mapped_column(default=1)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    hourly_cost: Mapped[Decimal | None] = mapped_column(AMOUNT)
    annual_hours: Mapped[Decimal | None] = mapped_column(AMOUNT)
    total_hours: Mapped[Decimal] = mapped_column(AMOUNT)
    gross: Mapped[Decimal] = mapped_column(AMOUNT)
    costs: Mapped[Decimal] = mapped_column(AMOUNT)
    net: Mapped[Decimal] = mapped_column(AMOUNT)
    fte_12m: Mapped[Decimal | None] = mapped_column(RATIO)
    payback: Mapped[date | None] = mapped_column(Date)
    flags: Mapped[int] = mapped_column(default=0)  # months × lines flagged as missing


class IndicatorResultRow(Base):
    """One indicator of one participation: the inputs of its status (progress, the
    baseline and target dates, the latest measurement's date and the frequency) and its
    projection. The status itself is judged when read: it depends on the day."""

    __tablename__ = "indicator_results"

    participation_id: Mapped[int] = _participation()
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True, sort_order=-2
    )
    round_id: Mapped[int] = _round()
    direction: Mapped[str] = mapped_column(String(10))
    frequency: Mapped[str] = mapped_column(String(10))
    baseline_value: Mapped[Decimal | None] = mapped_column(VALUE)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[Decimal | None] = mapped_column(VALUE)
    target_date: Mapped[date | None] = mapped_column(Date)
    target_pessimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    target_optimistic: Mapped[Decimal | None] = mapped_column(VALUE)
    latest_value: Mapped[Decimal | None] = mapped_column(VALUE)
    latest_date: Mapped[date | None] = mapped_column(Date)
    measurements: Mapped[int] = mapped_column(default=0)
    progress: Mapped[Decimal | None] = mapped_column(RATIO)
    projected: Mapped[Decimal | None] = mapped_column(AMOUNT)
    projection_reaches: Mapped[bool | None] = mapped_column()
    projection_shortfall: Mapped[Decimal | None] = mapped_column(AMOUNT)
    projection_slope: Mapped[Decimal | None] = mapped_column(SLOPE)
    projection_points: Mapped[int | None] = mapped_column()
    # The quality marks (``benefits.models.Quality``'s values) a report shows and counts, so
    # a round's report reads them here instead of every measurement: the baseline's, the
    # target's, the latest measurement's, and every mark among the measurements with how many
    # measurements carry one.
    baseline_quality: Mapped[str | None] = mapped_column(String(20))
    target_quality: Mapped[str | None] = mapped_column(String(20))
    latest_quality: Mapped[str | None] = mapped_column(String(20))
    marks: Mapped[str | None] = mapped_column(String(100))  # comma-separated, sorted
    marked_measurements: Mapped[int] = mapped_column(default=0, server_default="0")


class MonthResult(Base):
    """One month of one participation's benefits."""

    __tablename__ = "benefit_month_results"

    participation_id: Mapped[int] = _participation()
    month: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-2)
    round_id: Mapped[int] = _round()
    hours: Mapped[Decimal] = mapped_column(AMOUNT)
    gross: Mapped[Decimal] = mapped_column(AMOUNT)
    costs: Mapped[Decimal] = mapped_column(AMOUNT)
    net: Mapped[Decimal] = mapped_column(AMOUNT)
    cumulative_net: Mapped[Decimal] = mapped_column(AMOUNT)
    hours_12m: Mapped[Decimal] = mapped_column(AMOUNT)
    fte_12m: Mapped[Decimal | None] = mapped_column(RATIO)


class LineMonthResult(Base):
    """One benefit line in one month: its amount (hours or kroner) and its value in kroner;
    both empty when the month is flagged (a value missing)."""

    __tablename__ = "benefit_line_results"

    participation_id: Mapped[int] = _participation()
    month: Mapped[date] = mapped_column(Date, primary_key=True, sort_order=-2)
    line_key: Mapped[str] = mapped_column(String(64), primary_key=True, sort_order=-2)
    round_id: Mapped[int] = _round()
    kind: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal | None] = mapped_column(AMOUNT)
    kroner: Mapped[Decimal | None] = mapped_column(AMOUNT)
    flag: Mapped[str | None] = mapped_column(String(30))


class RoundSummary(Base):
    """A round's national view in a few numbers (``results.summary``): per indicator the
    medians, the status counts and the municipalities in bands of progress, per community
    the totals, and every community's medians a dashboard compares with. Drawn from the
    round's stored rows for one version of them (``results_version``:
    ``read.version_text``) judged on one day (``judged_on``: the statuses go stale with the
    calendar), so a round of 750 municipalities is read as one row instead of 6,000."""

    __tablename__ = "round_summaries"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True
    )
    results_version: Mapped[str] = mapped_column(String(200))
    judged_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[dict] = mapped_column(JSON)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
