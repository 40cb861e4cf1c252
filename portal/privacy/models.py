from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class RetentionRun(Base):
    """One application of the retention table (or a dry run of it): when, by what, and how
    many rows of each kind it changed (or would change)."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(20))  # "job", "cli"
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
