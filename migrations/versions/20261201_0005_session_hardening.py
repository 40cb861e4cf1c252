"""Users: a generated password must be changed at first login (``must_change_password``),
and logging out ends the session on the server too (``session_generation``, bumped at
logout, is part of every session's token).

Revision ID: i13_session_hardening
Revises: 0004_reporting
Create Date: 2026-12-01 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i13_session_hardening"
down_revision: str | None = "0004_reporting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
        batch.drop_column("must_change_password")
