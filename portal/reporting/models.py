"""Reporting requirements: what a participation owes the collaboration, and by when.

One row per item of a participation's schedule (``portal.reporting.schedule``): the baseline
and target picture at the start, a status report per calendar quarter, a final report at the
end. Every row carries its participation's ``municipality_id`` (set from the participation,
never from input) so the scoping helpers can restrict reads to it. The reminders sent are
remembered on the row, so none is sent twice.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.participations.models import Participation

MAX_NARRATIVE = 4000  # characters per narrative field


class ReportKind(enum.StrEnum):
    BASELINE_TARGET = "baseline_target"
    STATUS = "status"
    FINAL = "final"
    FOLLOW_UP = "follow_up"  # the benefit follow-up a year after the end (state practice)


class GainsKept(enum.StrEnum):
    """The follow-up's answer: are the gains still there a year after the end?"""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class ReportingRequirement(Base):
    """An item a participation must deliver by ``due_on``, covering ``period_start`` –
    ``period_end``.

    ``baseline_target`` is fulfilled by the recorded figures (computed, never ticked);
    ``status`` and ``final`` by submitting the narrative (``submitted_at`` set). A submitted
    report is read-only until a coordinator reopens it (``submitted_at`` back to None, the
    text kept).
    """

    __tablename__ = "reporting_requirements"
    __table_args__ = (
        # One item per kind and period start: the schedule can never hold a duplicate.
        UniqueConstraint("participation_id", "kind", "period_start"),
        CheckConstraint("period_end >= period_start", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[ReportKind] = mapped_column(enum_type(ReportKind, "report_kind"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    what_worked: Mapped[str] = mapped_column(String(MAX_NARRATIVE), default="")
    obstacles: Mapped[str] = mapped_column(String(MAX_NARRATIVE), default="")
    next_steps: Mapped[str] = mapped_column(String(MAX_NARRATIVE), default="")
    # The follow-up a year after the end: whether the gains were kept.
    gains_kept: Mapped[GainsKept | None] = mapped_column(enum_type(GainsKept, "gains_kept"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_before_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminder_after_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    participation: Mapped[Participation] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def has_narrative(self) -> bool:
        return self.kind in (ReportKind.STATUS, ReportKind.FINAL, ReportKind.FOLLOW_UP)

    @property
    def has_text(self) -> bool:
        return bool(self.what_worked or self.obstacles or self.next_steps)
