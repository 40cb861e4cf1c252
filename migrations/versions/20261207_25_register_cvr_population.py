"""Issue 21's figures. The follow-up a year after records the key indicators' values for
the months after the end in their own table (``follow_up_measurements``: never counted in
the collaboration's period). The municipality register carries each municipality's CVR number (single sign-on maps a
person's organisation by it) and the population's reference date and source (FOLK1A
quarter), so a population is never shown without where and when it was counted. The
shipped CVR numbers are loaded by ``portal seed`` / the register import, not here: a
migration does not read the app's data files.

Revision ID: j25_register_cvr_population
Revises: j23_job_leases
Create Date: 2026-12-07 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j25_register_cvr_population"
down_revision: str | None = "j23_job_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_up_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_follow_up_measurements_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_follow_up_measurements_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_follow_up_measurements_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_follow_up_measurements_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_measurements")),
        sa.UniqueConstraint(
            "participation_id",
            "indicator_id",
            "period",
            name=op.f("uq_follow_up_measurements_participation_id_indicator_id_period"),
        ),
    )
    with op.batch_alter_table("follow_up_measurements") as batch:
        for column in ("indicator_id", "municipality_id", "participation_id"):
            batch.create_index(
                batch.f(f"ix_follow_up_measurements_{column}"), [column], unique=False
            )
    with op.batch_alter_table("municipalities") as batch:
        batch.add_column(sa.Column("cvr", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("population_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("population_source", sa.String(length=100), nullable=True))
        batch.create_unique_constraint("uq_municipalities_cvr", ["cvr"])


def downgrade() -> None:
    op.drop_table("follow_up_measurements")
    with op.batch_alter_table("municipalities") as batch:
        batch.drop_constraint("uq_municipalities_cvr", type_="unique")
        batch.drop_column("population_source")
        batch.drop_column("population_date")
        batch.drop_column("cvr")
