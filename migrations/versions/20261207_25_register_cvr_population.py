"""The municipality register carries each municipality's CVR number (single sign-on maps a
person's organisation by it) and the population's reference date and source (FOLK1A
quarter), so a population is never shown without where and when it was counted. The
shipped CVR numbers are loaded by ``portal seed`` / the register import, not here: a
migration does not read the app's data files.

Revision ID: j25_register_cvr_population
Revises: i11_dis_benefits (the actual head; COORDINATION says i15_jobs, which is not the head)
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j25_register_cvr_population"
down_revision: str | None = "i11_dis_benefits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("municipalities") as batch:
        batch.add_column(sa.Column("cvr", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("population_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("population_source", sa.String(length=100), nullable=True))
        batch.create_unique_constraint("uq_municipalities_cvr", ["cvr"])


def downgrade() -> None:
    with op.batch_alter_table("municipalities") as batch:
        batch.drop_constraint("uq_municipalities_cvr", type_="unique")
        batch.drop_column("population_source")
        batch.drop_column("population_date")
        batch.drop_column("cvr")
