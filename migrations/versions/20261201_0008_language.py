"""The language a user chose, kept across logins, and an indicator's unit in English.

Revision ID: i10_language
Revises: i15_jobs
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i10_language"
down_revision: str | None = "i15_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=True))
    with op.batch_alter_table("indicators") as batch:
        batch.add_column(sa.Column("unit_en", sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_column("unit_en")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
