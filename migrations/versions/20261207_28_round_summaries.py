"""A round's national view in a few numbers (``results.summary``): one row per round.

Revision ID: j28_round_summaries
Revises: j26_regional_role
Create Date: 2026-12-07 07:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j28_round_summaries"
down_revision: str | None = "j26_regional_role"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "round_summaries",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("results_version", sa.String(length=200), nullable=False),
        sa.Column("judged_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_summaries_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_round_summaries")),
    )


def downgrade() -> None:
    op.drop_table("round_summaries")
