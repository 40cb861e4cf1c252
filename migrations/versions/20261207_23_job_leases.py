"""Jobs survive their worker, and files every host can read: a job's lease (its worker,
the worker's last heartbeat, how many runs began), expiring locks of periodic work, and the
file store in the database (a file per row, its bytes in chunks).

Revision ID: j23_job_leases
Revises: j21_report_read_model
Create Date: 2026-12-07 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "j23_job_leases"
down_revision: str | None = "j21_report_read_model"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lease_owner", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.alter_column("lease_owner", server_default=None)
        batch_op.alter_column("attempts", server_default=None)
    # A job running when this revision is applied was started by a worker without leases.
    op.execute("UPDATE jobs SET heartbeat_at = created_at WHERE status = 'running'")

    op.create_table(
        "job_locks",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=40), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_locks")),
    )
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("key", name=op.f("uq_stored_files_key")),
    )
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_files_created_at"), ["created_at"], unique=False
        )
    op.create_table(
        "stored_file_chunks",
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_files.id"],
            name=op.f("fk_stored_file_chunks_file_id_stored_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "n", name=op.f("pk_stored_file_chunks")),
    )


def downgrade() -> None:
    op.drop_table("stored_file_chunks")
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_files_created_at"))
    op.drop_table("stored_files")
    op.drop_table("job_locks")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("lease_owner")
