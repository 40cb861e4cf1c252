"""A job a user started: what it makes, for which report scope, how far it has come, the
file it made (kept ``JOBS_KEEP_DAYS`` days, in ``portal.files``) and the lease of the worker
running it; and the expiring locks of periodic work (``leases``)."""

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
    PROGRESS_XLSX = "progress_xlsx"  # a round's (or the nation's) progress workbook
    PROGRESS_CSV_ZIP = "progress_csv_zip"  # the same report's tables as CSV files in a ZIP
    PERSON_EXPORT = "person_export"  # everything held about a person (``portal.privacy``)
    PERSON_ERASURE = "person_erasure"  # a person's name and e-mail erased everywhere (no file)


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
    file_path: Mapped[str] = mapped_column(String(500), default="")  # its key in portal.files
    filename: Mapped[str] = mapped_column(String(200), default="")
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The lease (``leases``): which worker runs it, when it last said so, how many runs began.
    lease_owner: Mapped[str] = mapped_column(String(40), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class JobLock(Base):
    """A lock of periodic work (e.g. ``prerender-reports``): held until ``expires_at``, which
    its holder moves on while it works, so a killed holder blocks the next run only briefly."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
