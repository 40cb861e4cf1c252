"""Applications to a round: who applies, as what, with which co-applicants, and the decision.

An application belongs to its applicant municipality (``municipality_id``); co-applicants of a
joint application are ``ApplicationMember`` rows and see the application too (see
``portal.applications.permissions``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.municipalities.models import Municipality
from portal.programmes.models import ProgrammeGoal, Round

# Free text has a limit in the column, the form and the page (a counter shows it).
MAX_TEXT = 5000  # statements, motivation, a decision's reason
MAX_EXTENSION_REASON = 500


class ApplicantRole(enum.StrEnum):
    LEAD = "lead"  # skaleringsleder
    PARTICIPANT = "participant"  # deltagerkommune


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


DECISIONS = (ApplicationStatus.APPROVED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)
# Before a decision the municipality may withdraw; a coordinator may reopen a submitted,
# wait-listed or rejected application (an approval carries a participation and a grant).
WITHDRAWABLE = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
REOPENABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED)


class Experience(enum.StrEnum):
    """The brochure's three situations a participant applies from."""

    NONE = "none"  # ingen eller få erfaringer
    SOME = "some"  # nogen erfaring, men ikke kommet i mål med at skabe værdi
    SMALL_SCALE = "small_scale"  # afprøvet/implementeret i mindre skala


application_goals = Table(
    "application_goals",
    Base.metadata,
    Column(
        "application_id",
        ForeignKey("applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "goal_id",
        ForeignKey("programme_goals.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("round_id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[ApplicantRole] = mapped_column(enum_type(ApplicantRole, "applicant_role"))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_type(ApplicationStatus, "application_status"),
        default=ApplicationStatus.DRAFT,
        index=True,
    )
    experience: Mapped[Experience | None] = mapped_column(
        enum_type(Experience, "application_experience")
    )
    competence_statement: Mapped[str] = mapped_column(String(MAX_TEXT), default="")  # lead only
    capacity_statement: Mapped[str] = mapped_column(String(MAX_TEXT), default="")  # lead only
    motivation: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    project_lead_name: Mapped[str] = mapped_column(String(150), default="")
    project_lead_email: Mapped[str] = mapped_column(String(254), default="")
    project_owner_name: Mapped[str] = mapped_column(String(150), default="")
    project_owner_title: Mapped[str] = mapped_column(String(150), default="")
    backing_board: Mapped[bool] = mapped_column(Boolean, default=False)  # direktion
    backing_management: Mapped[bool] = mapped_column(Boolean, default=False)  # chefniveau
    backing_political: Mapped[bool] = mapped_column(Boolean, default=False)  # politisk niveau
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str] = mapped_column(String(MAX_TEXT), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    round: Mapped[Round] = relationship()
    municipality: Mapped[Municipality] = relationship()
    goals: Mapped[list[ProgrammeGoal]] = relationship(
        secondary=application_goals, order_by=ProgrammeGoal.position
    )
    members: Mapped[list[ApplicationMember]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        order_by="ApplicationMember.id",
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def municipality_ids(self) -> list[int]:
        """The applicant and every co-applicant: the municipalities the application is about."""
        return [self.municipality_id, *(m.municipality_id for m in self.members)]

    @property
    def has_required_backing(self) -> bool:
        """Backing in the board of directors and at management level (the brochure: "har
        opbakning i direktion, på chefniveau og om muligt på politisk niveau")."""
        return self.backing_board and self.backing_management

    def __repr__(self) -> str:
        return f"<Application {self.id} round={self.round_id} m={self.municipality_id}>"


class ApplicationMember(Base):
    """A co-applicant of a joint application; it counts once that municipality confirms."""

    __tablename__ = "application_members"
    __table_args__ = (UniqueConstraint("application_id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship(back_populates="members")
    municipality: Mapped[Municipality] = relationship()


class DeadlineExtension(Base):
    """A coordinator's later deadline for one municipality in one round."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (UniqueConstraint("round_id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    until_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(MAX_EXTENSION_REASON), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipality: Mapped[Municipality] = relationship()


class ApplicationVersion(Base):
    """What an application said when it was submitted: every submission keeps one, so a
    coordinator and the reviewers see what changed when a reopened application comes back
    (``portal.applications.versions``). ``fields`` holds the values as they read then (goals
    and co-applicants by name)."""

    __tablename__ = "application_versions"
    __table_args__ = (UniqueConstraint("application_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    application: Mapped[Application] = relationship()
    submitted_by: Mapped[User | None] = relationship()
