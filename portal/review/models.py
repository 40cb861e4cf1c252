"""Reviews of applications: a reviewer's scores of the brochure's three criteria."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import Application
from portal.auth.models import User
from portal.db import Base, UTCDateTime, enum_type, utcnow

MAX_TEXT = 5000  # a comment or a conflict note


class Criterion(enum.StrEnum):
    EXPERIENCE = "experience"  # kommunens erfaring
    LEADERSHIP = "leadership"  # ledelsesmæssig forankring
    READINESS = "readiness"  # parathed til at arbejde strategisk med teknologien


class ReviewStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    SUBMITTED = "submitted"
    ABSTAINED = "abstained"  # the reviewer declared a conflict of interest


def _score_check(name: str) -> CheckConstraint:
    return CheckConstraint(f"{name} IS NULL OR ({name} BETWEEN 1 AND 5)", name=f"{name}_range")


class Review(Base):
    """One reviewer's assignment to one application and, once submitted, their scores."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        _score_check("score_experience"),
        _score_check("score_leadership"),
        _score_check("score_readiness"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus, "review_status"), default=ReviewStatus.ASSIGNED
    )
    score_experience: Mapped[int | None] = mapped_column(Integer)
    score_leadership: Mapped[int | None] = mapped_column(Integer)
    score_readiness: Mapped[int | None] = mapped_column(Integer)
    comment_experience: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    comment_leadership: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    comment_readiness: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    conflict_note: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    application: Mapped[Application] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])

    __mapper_args__ = {"version_id_col": version}
