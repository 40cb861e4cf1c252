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
