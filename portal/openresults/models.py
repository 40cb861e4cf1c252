"""A municipality's consent to publish its results of one collaboration.

Per participation (one municipality in one round), not per municipality: the leadership
agrees to publish figures it has seen — a collaboration's figures, whose quality and
sensitivity it can judge (a shift-planning round's sick leave and rest-rule breaches are not
a screen-visit round's visits) — and a new collaboration starts unpublished until its
leadership decides, so "off by default" holds for every new set of figures. No row: not
published."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class PublicationConsent(Base):
    __tablename__ = "publication_consents"

    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True
    )
    # The municipality's, like every row it owns (the gate's policies read it).
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    published: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OpenDataVersion(Base):
    """One dated version of the open data files (``versions``): what they held that day,
    stored under dated keys in the shared file store (``portal.files``), so listing the
    versions reads this table and never the store. One available version a day (the day's
    last content); a version that held figures whose consent was withdrawn is withdrawn
    (``withdrawn_at``): its files are deleted, the row is kept as the record."""

    __tablename__ = "open_data_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    # The files' content (sha256 of the data sets' CSVs): the same content makes no version.
    content_hash: Mapped[str] = mapped_column(String(64))
    # ``figures.public_version`` when last compared: unchanged, the files are not rebuilt.
    data_version: Mapped[str] = mapped_column(String(64))
    modified_on: Mapped[date] = mapped_column(Date)  # the data's dct:modified then
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(20), default="job")  # job / cli
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    files: Mapped[list[OpenDataVersionFile]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="OpenDataVersionFile.name",
        lazy="selectin",
    )


class OpenDataVersionFile(Base):
    """A file of a version: its store key, size, rows and checksum."""

    __tablename__ = "open_data_version_files"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("open_data_versions.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # e.g. indikatorer.csv
    key: Mapped[str] = mapped_column(String(400))
    size: Mapped[int] = mapped_column(Integer)
    rows: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))

    version: Mapped[OpenDataVersion] = relationship(back_populates="files")


class OpenDataVersionMember(Base):
    """A participation whose own figures a version held (its leadership had agreed): when
    the consent is withdrawn, these versions are withdrawn."""

    __tablename__ = "open_data_version_members"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("open_data_versions.id", ondelete="CASCADE"), primary_key=True
    )
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
