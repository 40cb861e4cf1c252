from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base

# Official codes are written with a fixed width per country (Danmarks Statistik: 3 digits,
# Norway's and Sweden's registers: 4); they are compared as integers.
CODE_WIDTH = {"DK": 3, "NO": 4, "SE": 4}


class Municipality(Base):
    __tablename__ = "municipalities"
    __table_args__ = (
        UniqueConstraint("country", "code"),
        CheckConstraint("code > 0", name="code_positive"),
        CheckConstraint("population IS NULL OR population >= 0", name="population_not_negative"),
        UniqueConstraint("cvr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), default="DK")
    code: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    full_name: Mapped[str] = mapped_column(String(150))
    region: Mapped[str] = mapped_column(String(100))
    # The organisation's CVR number (8 digits in Denmark): single sign-on names a person's
    # organisation by it.
    cvr: Mapped[str | None] = mapped_column(String(10))
    population: Mapped[int | None] = mapped_column(Integer)
    # The day the population was counted (FOLK1A: the first day of its quarter) and its
    # source as credited wherever it is shown ("Danmarks Statistik, FOLK1A 2025K3").
    population_date: Mapped[date | None] = mapped_column(Date)
    population_source: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def code_display(self) -> str:
        return str(self.code).zfill(CODE_WIDTH.get(self.country, 3))

    def __repr__(self) -> str:
        return f"<Municipality {self.code_display} {self.name}>"
