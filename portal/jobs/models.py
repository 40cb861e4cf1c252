"""A job a user started: what it makes, for which report scope, how far it has come, and
the file it made (kept ``JOBS_KEEP_DAYS`` days)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_type, utcnow


class JobKind(enum.StrEnum):
    PROGRESS_ZIP = "progress_zip"  # every municipality's own progress PDF of a round
    PROGRESS_PDF = "progress_pdf"  # the progress report of a scope
    FUNDING_PDF = "funding_pdf"  # the funding report of a scope
    FIGURES_IMPORT = "figures_import"  # a large file of a round's figures (no file made)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """The scope is a report's (``portal.reports.scope``): a round or none, and a
    municipality, a community or neither (national). Only the user who started it reads it
    (``permissions``)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[JobKind] = mapped_column(enum_type(JobKind, "job_kind"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE")
    )
    locale: Mapped[str] = mapped_column(String(10), default="da")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        enum_type(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    file_path: Mapped[str] = mapped_column(String(500), default="")
    filename: Mapped[str] = mapped_column(String(200), default="")
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
