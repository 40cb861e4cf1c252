"""Reporting requirements: each participation's due items (baseline and target, quarterly
status reports, the final report) with their narrative, who submitted them, and the reminders
sent so none is sent twice.

Revision ID: 0004_reporting
Revises: 0003_figures
Create Date: 2026-11-23 15:59:56.628020
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_reporting"
down_revision: str | None = "0003_figures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporting_requirements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "baseline_target",
                "status",
                "final",
                name="report_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("what_worked", sa.Text(), nullable=False),
        sa.Column("obstacles", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_before_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminder_after_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_reporting_requirements_period_order")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_reporting_requirements_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_reporting_requirements_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_reporting_requirements_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_requirements")),
        sa.UniqueConstraint(
            "participation_id",
            "kind",
            "period_start",
            name=op.f("uq_reporting_requirements_participation_id_kind_period_start"),
        ),
    )
    with op.batch_alter_table("reporting_requirements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_requirements_due_on"), ["due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reporting_requirements_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_reporting_requirements_participation_id"),
            ["participation_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("reporting_requirements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_requirements_participation_id"))
        batch_op.drop_index(batch_op.f("ix_reporting_requirements_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_reporting_requirements_due_on"))

    op.drop_table("reporting_requirements")
