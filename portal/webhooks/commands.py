"""``portal webhooks send``: send the deliveries that are due now (the worker does it every
minute; this is for a host without one, or to see what happens)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("webhooks")
def webhooks_group() -> None:
    """Signed webhooks."""


@webhooks_group.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def send_command(limit: int) -> None:
    """Send the due deliveries, oldest first; exit status 1 when one failed for good."""
    from portal.webhooks.sending import send_due

    def report(delivery) -> None:
        line = f"{delivery.status.value}: {delivery.message_id} ({delivery.event_type})"
        if delivery.last_error:
            line += f" forsøg {delivery.attempts}: {delivery.last_error}"
        click.echo(line)

    result = send_due(limit, after_each=report)
    click.echo(
        f"Leveret: {len(result.delivered)}. Prøves igen: {len(result.retrying)}. "
        f"Fejlet: {len(result.failed)}."
    )
    if result.failed:
        sys.exit(1)


@webhooks_group.command("new-key")
def new_key_command() -> None:
    """Print a new key for WEBHOOKS_SECRET_KEY (put it first, then `portal webhooks reseal`)."""
    from portal.webhooks.sealing import new_key

    click.echo(new_key())


@webhooks_group.command("reseal")
@with_appcontext
def reseal_command() -> None:
    """Encrypt every webhook secret anew under the first key of WEBHOOKS_SECRET_KEY."""
    from portal.db import db
    from portal.webhooks.services import reseal_all

    count = reseal_all()
    db.session.commit()
    click.echo(f"Krypteret igen: {count} webhooks.")
