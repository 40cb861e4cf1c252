"""The frozen target picture and quality marks: when the coordinator approved a
participation's baseline and target picture, the versions of a frozen figure (the approved
original first, every later change with its reason, who and when), and a quality mark
(estimated, provisional, revised) on each baseline, target and measurement.

Revision ID: i11_target_picture
Revises: i14_results
Create Date: 2026-12-01 11:50:27.999951
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i11_target_picture"
down_revision: str | None = "i14_results"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "figure_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "baseline",
                "target",
                name="figure_version_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=4), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pessimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("optimistic", sa.Numeric(precision=16, scale=4), nullable=True),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_figure_versions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicators.id"],
            name=op.f("fk_figure_versions_indicator_id_indicators"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_figure_versions_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_figure_versions_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_figure_versions")),
        sa.UniqueConstraint(
            "participation_id",
            "indicator_id",
            "kind",
            "number",
            name=op.f("uq_figure_versions_participation_id_indicator_id_kind_number"),
        ),
    )
    with op.batch_alter_table("figure_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_figure_versions_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_figure_versions_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_figure_versions_participation_id"), ["participation_id"], unique=False
        )

    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quality",
                sa.Enum(
                    "estimated",
                    "provisional",
                    "revised",
                    name="figure_quality",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )

    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quality",
                sa.Enum(
                    "estimated",
                    "provisional",
                    "revised",
                    name="figure_quality",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )

    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("picture_approved_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("picture_approved_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_participations_picture_approved_by_id_users"),
            "users",
            ["picture_approved_by_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "quality",
                sa.Enum(
                    "estimated",
                    "provisional",
                    "revised",
                    name="figure_quality",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_targets_figure_quality"), type_="check")
        batch_op.drop_column("quality")

    with op.batch_alter_table("participations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_participations_picture_approved_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("picture_approved_by_id")
        batch_op.drop_column("picture_approved_at")

    with op.batch_alter_table("measurements", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_measurements_figure_quality"), type_="check")
        batch_op.drop_column("quality")

    with op.batch_alter_table("baselines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_baselines_figure_quality"), type_="check")
        batch_op.drop_column("quality")

    with op.batch_alter_table("figure_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figure_versions_participation_id"))
        batch_op.drop_index(batch_op.f("ix_figure_versions_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_figure_versions_indicator_id"))

    op.drop_table("figure_versions")
