"""The regional consultant: a role that reads the figures, dashboards and reports of the
municipalities of one region (``users.region``), tied to no municipality.

Revision ID: j26_regional_role
Revises: j25_register_cvr_population
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j26_regional_role"
down_revision: str | None = "j25_register_cvr_population"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = "'municipal', 'coordinator', 'reviewer', 'leadership', 'admin'"
NEW_ROLES = f"{OLD_ROLES}, 'regional'"


def _role_municipality(tied_to_none: str) -> str:
    return (
        "(role = 'municipal' AND municipality_id IS NOT NULL)"
        " OR role IN ('reviewer', 'leadership')"
        f" OR (role IN ({tied_to_none}) AND municipality_id IS NULL)"
    )


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=100), nullable=True))
        batch_op.drop_constraint(op.f("ck_users_user_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_user_role"), f"role IN ({NEW_ROLES})")
        batch_op.drop_constraint(op.f("ck_users_role_municipality"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_users_role_municipality"),
            _role_municipality("'coordinator', 'admin', 'regional'"),
        )
        batch_op.create_check_constraint(
            op.f("ck_users_role_region"), "(role = 'regional') = (region IS NOT NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE role = 'regional'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role_region"), type_="check")
        batch_op.drop_constraint(op.f("ck_users_role_municipality"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_users_role_municipality"), _role_municipality("'coordinator', 'admin'")
        )
        batch_op.drop_constraint(op.f("ck_users_user_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_user_role"), f"role IN ({OLD_ROLES})")
        batch_op.drop_column("region")
