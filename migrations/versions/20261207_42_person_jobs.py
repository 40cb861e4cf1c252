"""A person's data handed over or erased as jobs (``person_export``, ``person_erasure``):
searching every table takes seconds at national scale, so no request does it; and a round's
progress report as CSV files in a ZIP (``progress_csv_zip``), like its workbook.

Revision ID: k42_person_jobs
Revises: k40_open_data_versions
Create Date: 2026-12-07 09:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "k42_person_jobs"
down_revision: str | None = "k40_open_data_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "'progress_zip', 'progress_pdf', 'funding_pdf', 'figures_import', 'progress_xlsx'"
NEW_KINDS = f"{OLD_KINDS}, 'person_export', 'person_erasure', 'progress_csv_zip'"


def _kinds(kinds: str) -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jobs_job_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_jobs_job_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute(
        "DELETE FROM jobs WHERE kind IN ('person_export', 'person_erasure', 'progress_csv_zip')"
    )
    _kinds(OLD_KINDS)
