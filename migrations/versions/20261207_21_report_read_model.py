"""The stored results carry what a round's progress report reads besides the figures: the
quality marks of each indicator's baseline, target and latest measurement, every mark among
its measurements and how many are marked, so the round and national reports are built from
stored rows (``results.read``) instead of evaluating every municipality. Filled by ``portal
results rebuild`` (run it once after the upgrade) and by every refresh from then on.

Revision ID: j21_report_read_model
Revises: i11_dis_benefits
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j21_report_read_model"
down_revision: str | None = "i11_dis_benefits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUALITY_COLUMNS = ("baseline_quality", "target_quality", "latest_quality")


def upgrade() -> None:
    with op.batch_alter_table("indicator_results") as batch:
        for name in QUALITY_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("marks", sa.String(length=100), nullable=True))
        batch.add_column(
            sa.Column("marked_measurements", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator_results") as batch:
        batch.drop_column("marked_measurements")
        batch.drop_column("marks")
        for name in reversed(QUALITY_COLUMNS):
            batch.drop_column(name)
