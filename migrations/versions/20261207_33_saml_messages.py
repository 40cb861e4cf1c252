"""The SAML service provider's memory in the shared database: the requests answered and the
assertions accepted, kept until they expire, so that no app process accepts either twice.

Revision ID: k33_saml_messages
Revises: k32_external_logins
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k33_saml_messages"
down_revision: str | None = "k32_external_logins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saml_messages",
        sa.Column(
            "kind",
            sa.Enum(
                "request",
                "assertion",
                name="saml_message_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(length=256), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "message_id", name=op.f("pk_saml_messages")),
    )
    with op.batch_alter_table("saml_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_saml_messages_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("saml_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saml_messages_expires_at"))
    op.drop_table("saml_messages")
