"""The open data's dated versions, their files and the participations each held (issue 26:
versions by date).

Revision ID: k40_open_data_versions
Revises: k39_webhook_secrets_encrypted
"""

import sqlalchemy as sa
from alembic import op

revision = "k40_open_data_versions"
down_revision = "k39_webhook_secrets_encrypted"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "open_data_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.String(length=64), nullable=False),
        sa.Column("modified_on", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_versions")),
    )
    op.create_index(op.f("ix_open_data_versions_day"), "open_data_versions", ["day"])
    op.create_index(
        op.f("ix_open_data_versions_withdrawn_at"), "open_data_versions", ["withdrawn_at"]
    )
    op.create_table(
        "open_data_version_files",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["open_data_versions.id"],
            name=op.f("fk_open_data_version_files_version_id_open_data_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "name", name=op.f("pk_open_data_version_files")),
    )
    op.create_table(
        "open_data_version_members",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_open_data_version_members_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["open_data_versions.id"],
            name=op.f("fk_open_data_version_members_version_id_open_data_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "participation_id", name=op.f("pk_open_data_version_members")
        ),
    )
    op.create_index(
        op.f("ix_open_data_version_members_participation_id"),
        "open_data_version_members",
        ["participation_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_open_data_version_members_participation_id"),
        table_name="open_data_version_members",
    )
    op.drop_table("open_data_version_members")
    op.drop_table("open_data_version_files")
    op.drop_index(op.f("ix_open_data_versions_withdrawn_at"), table_name="open_data_versions")
    op.drop_index(op.f("ix_open_data_versions_day"), table_name="open_data_versions")
    op.drop_table("open_data_versions")
