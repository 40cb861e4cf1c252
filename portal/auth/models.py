from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_type, utcnow
from portal.municipalities.models import Municipality


class Role(enum.StrEnum):
    MUNICIPAL = "municipal"
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"
    LEADERSHIP = "leadership"
    ADMIN = "admin"
    REGIONAL = "regional"


# Which roles carry a municipality: required, optional or never.
MUNICIPALITY_REQUIRED = frozenset({Role.MUNICIPAL})
MUNICIPALITY_OPTIONAL = frozenset({Role.REVIEWER, Role.LEADERSHIP})
# Which roles carry a region (``Municipality.region``) instead: exactly these.
REGION_REQUIRED = frozenset({Role.REGIONAL})


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint(
            "(role = 'municipal' AND municipality_id IS NOT NULL)"
            " OR role IN ('reviewer', 'leadership')"
            " OR (role IN ('coordinator', 'admin', 'regional') AND municipality_id IS NULL)",
            name="role_municipality",
        ),
        CheckConstraint(
            "(role = 'regional') = (region IS NOT NULL)",
            name="role_region",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="RESTRICT"), index=True
    )
    # A regional consultant's region (``Municipality.region``): whose figures they read.
    region: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The language the user last chose (da/en), applied at each login.
    language: Mapped[str | None] = mapped_column(String(2))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # A generated (temporary) password: the user chooses a new one before anything else.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Part of every session's token; logging out bumps it, so a copied cookie dies too.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    municipality: Mapped[Municipality | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def get_id(self) -> str:
        """The session's user id, bound to the password: a new password ends every session
        (and remember-me cookie) made with the old one."""
        return f"{self.id}:{self.session_token}"

    @property
    def session_token(self) -> str:
        seed = f"{self.password_hash}:{self.session_generation or 0}"
        return hashlib.sha256(seed.encode()).hexdigest()[:20]

    @property
    def has_password(self) -> bool:
        """False for a user made by single sign-on (no password ever matches "!…")."""
        return not self.password_hash.startswith("!")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users a session
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
