"""Dis-benefit lines: a benefit line of a programme may be a dis-benefit (a negative effect
followed up like a benefit and subtracted from the gross benefit).

Revision ID: i11_dis_benefits
Revises: i11_follow_up
Create Date: 2026-12-01 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i11_dis_benefits"
down_revision: str | None = "i11_follow_up"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing line is a benefit: the default fills them, then goes (the model sets it).
    with op.batch_alter_table("benefit_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dis_benefit", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("benefit_lines", schema=None) as batch_op:
        batch_op.alter_column("dis_benefit", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("benefit_lines", schema=None) as batch_op:
        batch_op.drop_column("dis_benefit")
