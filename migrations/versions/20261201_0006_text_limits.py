"""Free text has a length limit in the column, as in the form and on the page: the texts that
were unbounded ``TEXT`` become ``VARCHAR(n)``. The forms and services already kept to these
limits, so stored texts fit.

Revision ID: i10_text_limits
Revises: i13_session_hardening
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i10_text_limits"
down_revision: str | None = "i13_session_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, length, nullable)
LIMITS = (
    ("applications", "competence_statement", 5000, False),
    ("applications", "capacity_statement", 5000, False),
    ("applications", "motivation", 5000, False),
    ("applications", "decision_reason", 5000, False),
    ("deadline_extensions", "reason", 500, False),
    ("reviews", "comment_experience", 5000, False),
    ("reviews", "comment_leadership", 5000, False),
    ("reviews", "comment_readiness", 5000, False),
    ("reviews", "conflict_note", 5000, False),
    ("participations", "grant_override_reason", 2000, False),
    ("disbursements", "note", 500, False),
    ("baselines", "source_note", 1000, False),
    ("targets", "note", 1000, False),
    ("measurements", "note", 1000, False),
    ("costs", "note", 1000, False),
    ("reporting_requirements", "what_worked", 4000, False),
    ("reporting_requirements", "obstacles", 4000, False),
    ("reporting_requirements", "next_steps", 4000, False),
    ("programmes", "description_da", 5000, False),
    ("programmes", "description_en", 5000, False),
    ("programme_goals", "text_da", 1000, False),
    ("programme_goals", "text_en", 1000, False),
    ("indicators", "method_da", 2000, False),
    ("indicators", "method_en", 2000, False),
    ("indicators", "source_da", 500, False),
    ("indicators", "source_en", 500, False),
)


def _tables() -> dict[str, list[tuple[str, int, bool]]]:
    tables: dict[str, list[tuple[str, int, bool]]] = {}
    for table, column, length, nullable in LIMITS:
        tables.setdefault(table, []).append((column, length, nullable))
    return tables


def upgrade() -> None:
    for table, columns in _tables().items():
        with op.batch_alter_table(table) as batch:
            for column, length, nullable in columns:
                batch.alter_column(
                    column,
                    existing_type=sa.Text(),
                    type_=sa.String(length),
                    existing_nullable=nullable,
                )


def downgrade() -> None:
    for table, columns in _tables().items():
        with op.batch_alter_table(table) as batch:
            for column, length, nullable in columns:
                batch.alter_column(
                    column,
                    existing_type=sa.String(length),
                    type_=sa.Text(),
                    existing_nullable=nullable,
                )
