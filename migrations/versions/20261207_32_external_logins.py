"""Single sign-on: which identity at which provider (issuer, subject) is which user.

Revision ID: k32_external_logins
Revises: j28_round_summaries
Create Date: 2026-12-07 08:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k32_external_logins"
down_revision: str | None = "j28_round_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "external_logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("protocol", sa.String(length=10), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_external_logins_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_logins")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_external_logins_issuer_subject")),
    )
    op.create_index(
        op.f("ix_external_logins_user_id"), "external_logins", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_external_logins_user_id"), table_name="external_logins")
    op.drop_table("external_logins")
