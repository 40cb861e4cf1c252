"""Conversations between a municipality and the coordinators (a thread per application,
participation and reporting item, its messages, attachments and read marks), and the
versions an application keeps at each submission.

Each application submitted before this revision gets its first version from what it says
now (a data step with ``sa.table``, no app models), so the first resubmission after the
upgrade already shows what changed.

Revision ID: k35_conversations
Revises: k34_disagreement_threshold
Create Date: 2026-12-07 08:34:29.117892
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k35_conversations"
down_revision: str | None = "k34_disagreement_threshold"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "application_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_versions_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_application_versions_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_application_versions_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_versions")),
        sa.UniqueConstraint(
            "application_id", "number", name=op.f("uq_application_versions_application_id_number")
        ),
    )
    with op.batch_alter_table("application_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_versions_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_application_versions_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "conversation_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "application",
                "participation",
                "report",
                name="thread_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("participation_id", sa.Integer(), nullable=True),
        sa.Column("reporting_requirement_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN application_id IS NULL THEN 0 ELSE 1 END + CASE WHEN participation_id IS NULL THEN 0 ELSE 1 END + CASE WHEN reporting_requirement_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_conversation_threads_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_conversation_threads_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_conversation_threads_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_conversation_threads_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporting_requirement_id"],
            ["reporting_requirements.id"],
            name=op.f("fk_conversation_threads_reporting_requirement_id_reporting_requirements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_conversation_threads_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_threads")),
        sa.UniqueConstraint("application_id", name=op.f("uq_conversation_threads_application_id")),
        sa.UniqueConstraint(
            "participation_id", name=op.f("uq_conversation_threads_participation_id")
        ),
        sa.UniqueConstraint(
            "reporting_requirement_id",
            name=op.f("uq_conversation_threads_reporting_requirement_id"),
        ),
    )
    with op.batch_alter_table("conversation_threads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_threads_last_message_at"), ["last_message_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_threads_municipality_id"), ["municipality_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_threads_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "conversation_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("from_municipality", sa.Boolean(), nullable=False),
        sa.Column("body", sa.String(length=10000), nullable=False),
        sa.Column("asks_correction", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_conversation_messages_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_conversation_messages_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["conversation_threads.id"],
            name=op.f("fk_conversation_messages_thread_id_conversation_threads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_messages")),
    )
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_messages_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_messages_thread_id"), ["thread_id"], unique=False
        )

    op.create_table(
        "conversation_reads",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_message_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["conversation_threads.id"],
            name=op.f("fk_conversation_reads_thread_id_conversation_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_conversation_reads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", "user_id", name=op.f("pk_conversation_reads")),
    )
    op.create_table(
        "conversation_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["conversation_messages.id"],
            name=op.f("fk_conversation_attachments_message_id_conversation_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_conversation_attachments_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_attachments")),
    )
    with op.batch_alter_table("conversation_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_attachments_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversation_attachments_municipality_id"),
            ["municipality_id"],
            unique=False,
        )
    _first_versions()


_FIELDS = (
    "role",
    "experience",
    "competence_statement",
    "capacity_statement",
    "motivation",
    "project_lead_name",
    "project_lead_email",
    "project_owner_name",
    "project_owner_title",
    "backing_board",
    "backing_management",
    "backing_political",
)
_BOOLEANS = {"backing_board", "backing_management", "backing_political"}


def _first_versions() -> None:
    """Version 1 of every application that has been submitted (``submitted_at`` set), as
    ``portal.applications.versions.fields_of`` writes it."""
    bind = op.get_bind()
    applications = sa.table(
        "applications",
        sa.column("id", sa.Integer()),
        sa.column("municipality_id", sa.Integer()),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
        *(sa.column(n, sa.Boolean() if n in _BOOLEANS else sa.String()) for n in _FIELDS),
    )
    goals = sa.table(
        "application_goals", sa.column("application_id", sa.Integer()), sa.column("goal_id")
    )
    programme_goals = sa.table(
        "programme_goals",
        sa.column("id", sa.Integer()),
        sa.column("text_da", sa.String()),
        sa.column("position", sa.Integer()),
    )
    members = sa.table(
        "application_members",
        sa.column("application_id", sa.Integer()),
        sa.column("municipality_id", sa.Integer()),
    )
    municipalities = sa.table(
        "municipalities", sa.column("id", sa.Integer()), sa.column("name", sa.String())
    )
    rows = bind.execute(
        sa.select(applications).where(applications.c.submitted_at.is_not(None))
    ).all()
    if not rows:
        return
    goal_texts: dict[int, list[str]] = {}
    for application_id, text in bind.execute(
        sa.select(goals.c.application_id, programme_goals.c.text_da)
        .join(programme_goals, programme_goals.c.id == goals.c.goal_id)
        .order_by(goals.c.application_id, programme_goals.c.position)
    ):
        goal_texts.setdefault(application_id, []).append(text)
    member_names: dict[int, list[str]] = {}
    for application_id, name in bind.execute(
        sa.select(members.c.application_id, municipalities.c.name).join(
            municipalities, municipalities.c.id == members.c.municipality_id
        )
    ):
        member_names.setdefault(application_id, []).append(name)
    versions = sa.table(
        "application_versions",
        sa.column("application_id", sa.Integer()),
        sa.column("municipality_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("fields", sa.JSON()),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
        sa.column("submitted_by_id", sa.Integer()),
    )
    op.bulk_insert(
        versions,
        [
            {
                "application_id": row.id,
                "municipality_id": row.municipality_id,
                "number": 1,
                "fields": {
                    **{n: getattr(row, n) for n in _FIELDS},
                    "goals": goal_texts.get(row.id, []),
                    "members": sorted(member_names.get(row.id, [])),
                },
                "submitted_at": row.submitted_at,
                "submitted_by_id": None,
            }
            for row in rows
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("conversation_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_attachments_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_attachments_message_id"))

    op.drop_table("conversation_attachments")
    op.drop_table("conversation_reads")
    with op.batch_alter_table("conversation_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_messages_thread_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_messages_municipality_id"))

    op.drop_table("conversation_messages")
    with op.batch_alter_table("conversation_threads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_threads_round_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_threads_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_threads_last_message_at"))

    op.drop_table("conversation_threads")
    with op.batch_alter_table("application_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_versions_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_application_versions_application_id"))

    op.drop_table("application_versions")
