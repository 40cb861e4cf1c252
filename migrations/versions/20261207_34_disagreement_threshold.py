"""A round's threshold for reviewer disagreement: an application is flagged for discussion
when its reviewers' scores of one criterion lie this many points apart or more (1–4, 2 by
default).

Revision ID: k34_disagreement_threshold
Revises: k33_saml_messages
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k34_disagreement_threshold"
down_revision: str | None = "k33_saml_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("disagreement_threshold", sa.Integer(), server_default="2", nullable=False)
        )
        batch_op.create_check_constraint(
            op.f("ck_rounds_disagreement_threshold_range"), "disagreement_threshold BETWEEN 1 AND 4"
        )


def downgrade() -> None:
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_rounds_disagreement_threshold_range"), type_="check")
        batch_op.drop_column("disagreement_threshold")
