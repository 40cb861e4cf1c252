"""A round's (or the nation's) progress workbook made as a job (``progress_xlsx``): at 750
municipalities it takes seconds of CPU, beyond ten seconds on a busy machine, so no request
writes it.

Revision ID: k29_progress_xlsx_job
Revises: j28_round_summaries
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "k29_progress_xlsx_job"
down_revision: str | None = "j28_round_summaries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "'progress_zip', 'progress_pdf', 'funding_pdf', 'figures_import'"
NEW_KINDS = f"{OLD_KINDS}, 'progress_xlsx'"


def _kinds(kinds: str) -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_jobs_job_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_jobs_job_kind"), f"kind IN ({kinds})")


def upgrade() -> None:
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE kind = 'progress_xlsx'")
    _kinds(OLD_KINDS)
