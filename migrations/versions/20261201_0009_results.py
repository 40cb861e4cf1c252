"""Stored results: per participation its totals, per indicator its progress and projection,
per month its benefits and per benefit line. Empty after the upgrade: run
`portal results rebuild` once to fill them from the recorded figures.

Revision ID: i14_results
Revises: i10_language
Create Date: 2026-12-01 11:51:31.438478
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i14_results"
down_revision: str | None = "i10_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benefit_line_results",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("line_key", sa.String(length=64), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("kroner", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("flag", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_benefit_line_results_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_benefit_line_results_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participation_id", "month", "line_key", name=op.f("pk_benefit_line_results")
        ),
    )
    with op.batch_alter_table("benefit_line_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benefit_line_results_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "benefit_month_results",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("gross", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("costs", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("net", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("cumulative_net", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("hours_12m", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("fte_12m", sa.Numeric(precision=18, scale=8), nullable=True),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_benefit_month_results_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_benefit_month_results_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participation_id", "month", name=op.f("pk_benefit_month_results")),
    )
    with op.batch_alter_table("benefit_month_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benefit_month_results_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "indicator_results",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("baseline_value", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("target_value", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("target_pessimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("target_optimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("latest_value", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("latest_date", sa.Date(), nullable=True),
        sa.Column("measurements", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Numeric(precision=18, scale=8), nullable=True),
        sa.Column("projected", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("projection_reaches", sa.Boolean(), nullable=True),
        sa.Column("projection_shortfall", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("projection_slope", sa.Numeric(precision=24, scale=12), nullable=True),
        sa.Column("projection_points", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_indicator_results_indicator_id_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_indicator_results_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_indicator_results_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participation_id", "indicator_id", name=op.f("pk_indicator_results")
        ),
    )
    with op.batch_alter_table("indicator_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_results_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "participation_results",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hourly_cost", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("annual_hours", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.Column("total_hours", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("gross", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("costs", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("net", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("fte_12m", sa.Numeric(precision=18, scale=8), nullable=True),
        sa.Column("payback", sa.Date(), nullable=True),
        sa.Column("flags", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_participation_results_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_participation_results_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("participation_id", name=op.f("pk_participation_results")),
    )
    with op.batch_alter_table("participation_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_results_round_id"), ["round_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("participation_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_results_round_id"))

    op.drop_table("participation_results")
    with op.batch_alter_table("indicator_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_results_round_id"))

    op.drop_table("indicator_results")
    with op.batch_alter_table("benefit_month_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_month_results_round_id"))

    op.drop_table("benefit_month_results")
    with op.batch_alter_table("benefit_line_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_line_results_round_id"))

    op.drop_table("benefit_line_results")
