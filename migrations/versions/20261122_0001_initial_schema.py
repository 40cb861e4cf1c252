"""Initial schema: municipalities, users, programmes with goals, indicators, benefit lines
and rounds, and the audit log.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 22:40:38.157374
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "municipalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("full_name", sa.String(length=150), nullable=False),
        sa.Column("region", sa.String(length=100), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("code > 0", name=op.f("ck_municipalities_code_positive")),
        sa.CheckConstraint(
            "population IS NULL OR population >= 0",
            name=op.f("ck_municipalities_population_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipalities")),
        sa.UniqueConstraint("country", "code", name=op.f("uq_municipalities_country_code")),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name_da", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("description_da", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("slug", name=op.f("uq_programmes_slug")),
    )
    op.create_table(
        "benefit_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name_da", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "hours",
                "kroner",
                name="benefit_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("formula", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_benefit_lines_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_lines")),
        sa.UniqueConstraint("programme_id", "key", name=op.f("uq_benefit_lines_programme_id_key")),
    )
    with op.batch_alter_table("benefit_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benefit_lines_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name_da", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=50), nullable=False),
        sa.Column(
            "direction",
            sa.Enum(
                "higher",
                "lower",
                name="indicator_direction",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "frequency",
            sa.Enum(
                "monthly",
                "quarterly",
                "yearly",
                name="indicator_frequency",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "block",
            sa.Enum(
                "time_economy",
                "citizen",
                "employee",
                "context",
                name="indicator_block",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("method_da", sa.Text(), nullable=False),
        sa.Column("method_en", sa.Text(), nullable=False),
        sa.Column("source_da", sa.Text(), nullable=False),
        sa.Column("source_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_indicators_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
        sa.UniqueConstraint("programme_id", "key", name=op.f("uq_indicators_programme_id_key")),
    )
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicators_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "programme_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text_da", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_goals_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_goals")),
    )
    with op.batch_alter_table("programme_goals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_goals_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name_da", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("lead_grant", sa.Integer(), nullable=False),
        sa.Column("participant_grant", sa.Integer(), nullable=True),
        sa.Column("participant_pool", sa.Integer(), nullable=True),
        sa.Column("community_min", sa.Integer(), nullable=False),
        sa.Column("community_max", sa.Integer(), nullable=False),
        sa.Column("weight_experience", sa.Integer(), nullable=False),
        sa.Column("weight_leadership", sa.Integer(), nullable=False),
        sa.Column("weight_readiness", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "closed",
                name="round_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(participant_grant IS NULL) <> (participant_pool IS NULL)",
            name=op.f("ck_rounds_participant_grant_or_pool"),
        ),
        sa.CheckConstraint(
            "community_min >= 1 AND community_max >= community_min",
            name=op.f("ck_rounds_community_size"),
        ),
        sa.CheckConstraint("deadline_at > opens_at", name=op.f("ck_rounds_deadline_after_opening")),
        sa.CheckConstraint("lead_grant >= 0", name=op.f("ck_rounds_lead_grant_not_negative")),
        sa.CheckConstraint(
            "participant_grant IS NULL OR participant_grant >= 0",
            name=op.f("ck_rounds_grant_not_negative"),
        ),
        sa.CheckConstraint(
            "participant_pool IS NULL OR participant_pool >= 0",
            name=op.f("ck_rounds_pool_not_negative"),
        ),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_rounds_period_order")),
        sa.CheckConstraint(
            "weight_experience >= 0 AND weight_leadership >= 0 AND weight_readiness >= 0 AND weight_experience + weight_leadership + weight_readiness > 0",
            name=op.f("ck_rounds_weights"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_rounds_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
        sa.UniqueConstraint("slug", name=op.f("uq_rounds_slug")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "municipal",
                "coordinator",
                "reviewer",
                "leadership",
                "admin",
                name="user_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(role = 'municipal' AND municipality_id IS NOT NULL) OR role IN ('reviewer', 'leadership') OR (role IN ('coordinator', 'admin') AND municipality_id IS NULL)",
            name=op.f("ck_users_role_municipality"),
        ),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lowercase")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_users_municipality_id_municipalities"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_users_municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=True),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_audit_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_audit_events_municipality_id_municipalities"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_municipality_id"), ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_municipality_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_municipality_id"))

    op.drop_table("users")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rounds_programme_id"))

    op.drop_table("rounds")
    with op.batch_alter_table("programme_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_goals_programme_id"))

    op.drop_table("programme_goals")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicators_programme_id"))

    op.drop_table("indicators")
    with op.batch_alter_table("benefit_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benefit_lines_programme_id"))

    op.drop_table("benefit_lines")
    op.drop_table("programmes")
    op.drop_table("municipalities")
