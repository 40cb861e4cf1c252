"""A municipality's consent to publish its results of one collaboration (open results).

Revision ID: k36_publication_consents
Revises: k35_conversations
Create Date: 2026-12-07 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k36_publication_consents"
down_revision: str | None = "k35_conversations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publication_consents",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_publication_consents_changed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_publication_consents_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_publication_consents_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_publication_consents_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participation_id", name=op.f("pk_publication_consents")),
    )
    op.create_index(
        op.f("ix_publication_consents_municipality_id"),
        "publication_consents",
        ["municipality_id"],
    )
    op.create_index(op.f("ix_publication_consents_round_id"), "publication_consents", ["round_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_publication_consents_round_id"), table_name="publication_consents")
    op.drop_index(
        op.f("ix_publication_consents_municipality_id"), table_name="publication_consents"
    )
    op.drop_table("publication_consents")
