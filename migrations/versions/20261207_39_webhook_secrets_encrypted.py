"""Webhook secrets encrypted at rest, and the one-time code that shows a new one once.

Every stored secret (and the previous one of a rotation) is encrypted with the configured
key (``portal.webhooks.sealing``: ``WEBHOOKS_SECRET_KEY``, else derived from ``SECRET_KEY``);
the plain columns are dropped. The downgrade decrypts them back.

Revision ID: k39_webhook_secrets_encrypted
Revises: k37_retention_runs
Create Date: 2026-12-07 09:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "k39_webhook_secrets_encrypted"
down_revision: str | None = "k37_retention_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "webhook_endpoints"


def _keys() -> list[str]:
    """The configured keys: the running app's (``portal db upgrade``), else the
    environment's, as the app would read them."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config["WEBHOOKS_SECRET_KEYS"]
    from portal.config import load_config
    from portal.migrate import ROOT

    return load_config(ROOT / "instance")["WEBHOOKS_SECRET_KEYS"]


def _convert(source: tuple[str, str], target: tuple[str, str], change) -> None:
    """Each row's two secrets from the ``source`` columns, changed, into ``target``."""
    bind = op.get_bind()
    table = sa.table(
        TABLE, sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in (*source, *target))
    )
    rows = bind.execute(sa.select(table.c.id, *(table.c[c] for c in source))).all()
    if not rows:
        return
    keys = _keys()
    for row_id, current, previous in rows:
        bind.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(
                {target[0]: change(current or "", keys), target[1]: change(previous or "", keys)}
            )
        )


def upgrade() -> None:
    from portal.webhooks.sealing import seal

    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("secret_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("previous_secret_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("secret_reveal_hash", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("secret_reveal_until", sa.DateTime(timezone=True), nullable=True)
        )
    _convert(("secret", "previous_secret"), ("secret_encrypted", "previous_secret_encrypted"), seal)
    op.execute(sa.text(f"UPDATE {TABLE} SET secret_reveal_hash = ''"))
    with op.batch_alter_table(TABLE) as batch:
        batch.alter_column("secret_encrypted", existing_type=sa.Text(), nullable=False)
        batch.alter_column("previous_secret_encrypted", existing_type=sa.Text(), nullable=False)
        batch.alter_column("secret_reveal_hash", existing_type=sa.String(length=64), nullable=False)
        batch.drop_column("secret")
        batch.drop_column("previous_secret")


def downgrade() -> None:
    from portal.webhooks.sealing import unseal

    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("secret", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("previous_secret", sa.String(length=100), nullable=True))
    _convert(
        ("secret_encrypted", "previous_secret_encrypted"), ("secret", "previous_secret"), unseal
    )
    with op.batch_alter_table(TABLE) as batch:
        batch.alter_column("secret", existing_type=sa.String(length=100), nullable=False)
        batch.alter_column("previous_secret", existing_type=sa.String(length=100), nullable=False)
        batch.drop_column("secret_reveal_until")
        batch.drop_column("secret_reveal_hash")
        batch.drop_column("previous_secret_encrypted")
        batch.drop_column("secret_encrypted")
