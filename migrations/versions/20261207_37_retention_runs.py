"""The retention table's runs (issue 26: personal data that leaves when it should).

Revision ID: k37_retention_runs
Revises: k36_publication_consents
"""

import sqlalchemy as sa
from alembic import op

revision = "k37_retention_runs"
down_revision = "k36_publication_consents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_runs")),
    )
    op.create_index(op.f("ix_retention_runs_at"), "retention_runs", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_retention_runs_at"), table_name="retention_runs")
    op.drop_table("retention_runs")
