"""The benefit follow-up a year after the end: a reporting requirement of its own kind
(``follow_up``) and its answer, whether the gains were kept.

Revision ID: i11_follow_up
Revises: i11_target_picture
Create Date: 2026-12-01 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i11_follow_up"
down_revision: str | None = "i11_target_picture"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "'baseline_target', 'status', 'final'"
NEW_KINDS = "'baseline_target', 'status', 'final', 'follow_up'"


def upgrade() -> None:
    with op.batch_alter_table("reporting_requirements", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reporting_requirements_report_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_reporting_requirements_report_kind"), f"kind IN ({NEW_KINDS})"
        )
        batch_op.add_column(
            sa.Column(
                "gains_kept",
                sa.Enum(
                    "yes",
                    "partly",
                    "no",
                    name="gains_kept",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    op.execute("DELETE FROM reporting_requirements WHERE kind = 'follow_up'")
    with op.batch_alter_table("reporting_requirements", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reporting_requirements_gains_kept"), type_="check")
        batch_op.drop_column("gains_kept")
        batch_op.drop_constraint(op.f("ck_reporting_requirements_report_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_reporting_requirements_report_kind"), f"kind IN ({OLD_KINDS})"
        )
