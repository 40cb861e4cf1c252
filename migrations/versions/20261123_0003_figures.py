"""Figures of a participation: baselines, targets (målbillede), measurements per period and
costs, each with its municipality for scoping; the benefit owner (gevinstejer) and an own
hourly cost on participations.

Revision ID: 0003_figures
Revises: 0002_applications
Create Date: 2026-11-23 15:48:34.861765
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_figures"
down_revision: str | None = "0002_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("source_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_baselines_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_baselines_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_baselines_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_baselines_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baselines")),
        sa.UniqueConstraint(
            "participation_id",
            "indicator_id",
            name=op.f("uq_baselines_participation_id_indicator_id"),
        ),
    )
    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_baselines_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_baselines_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_baselines_participation_id"), ["participation_id"], unique=False
        )

    op.create_table(
        "costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "one_off",
                "yearly",
                name="cost_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("incurred_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_costs_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_costs_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_costs_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_costs_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_costs")),
        sa.UniqueConstraint(
            "participation_id",
            "kind",
            "category",
            "incurred_on",
            name=op.f("uq_costs_participation_id_kind_category_incurred_on"),
        ),
    )
    with op.batch_alter_table("costs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_costs_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_costs_participation_id"), ["participation_id"], unique=False
        )

    op.create_table(
        "measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_measurements_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_measurements_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_measurements_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_measurements_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurements")),
        sa.UniqueConstraint(
            "participation_id",
            "indicator_id",
            "period",
            name=op.f("uq_measurements_participation_id_indicator_id_period"),
        ),
    )
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measurements_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_measurements_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_measurements_participation_id"), ["participation_id"], unique=False
        )

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=False),
        sa.Column("pessimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("optimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_targets_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_targets_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_targets_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_targets_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint(
            "participation_id",
            "indicator_id",
            name=op.f("uq_targets_participation_id_indicator_id"),
        ),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_targets_indicator_id"), ["indicator_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_targets_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_targets_participation_id"), ["participation_id"], unique=False
        )

    with op.batch_alter_table("participations", schema=None) as batch_op:
        # Existing participations get empty texts; the default then goes (the app sets it).
        batch_op.add_column(
            sa.Column(
                "benefit_owner_name", sa.String(length=150), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column(
                "benefit_owner_title", sa.String(length=150), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("hourly_cost_override", sa.Numeric(precision=10, scale=2), nullable=True)
        )
        batch_op.create_check_constraint(
            op.f("ck_participations_hourly_cost_positive"),
            "hourly_cost_override IS NULL OR hourly_cost_override > 0",
        )
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.alter_column("benefit_owner_name", server_default=None)
        batch_op.alter_column("benefit_owner_title", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_participations_hourly_cost_positive"), type_="check")
        batch_op.drop_column("hourly_cost_override")
        batch_op.drop_column("benefit_owner_title")
        batch_op.drop_column("benefit_owner_name")

    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targets_participation_id"))
        batch_op.drop_index(batch_op.f("ix_targets_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_targets_indicator_id"))

    op.drop_table("targets")
    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measurements_participation_id"))
        batch_op.drop_index(batch_op.f("ix_measurements_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_measurements_indicator_id"))

    op.drop_table("measurements")
    with op.batch_alter_table("costs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_costs_participation_id"))
        batch_op.drop_index(batch_op.f("ix_costs_municipality_id"))

    op.drop_table("costs")
    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_baselines_participation_id"))
        batch_op.drop_index(batch_op.f("ix_baselines_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_baselines_indicator_id"))

    op.drop_table("baselines")
