"""``portal outbox send`` (run it every few minutes, e.g. from cron or a systemd timer) and
``portal outbox list``."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.i18n import local_datetime


@click.group("outbox")
def outbox_group() -> None:
    """The e-mail outbox."""


@outbox_group.command("send")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def send_command(limit: int) -> None:
    """Send what waits in the outbox (oldest first); exit status 1 when a message failed."""
    from portal.notifications.outbox import FAILED, LOGGED, SENT, deliver_outbox

    labels = {SENT: "sendt", FAILED: "fejlet", LOGGED: "skrevet i loggen"}

    def report(message, outcome: str) -> None:
        db.session.commit()  # each message is recorded at once: sent means sent
        line = f"{labels[outcome]}: #{message.id} til {message.to_address} – {message.subject}"
        if outcome == FAILED:
            line += f" (forsøg {message.attempts}: {message.last_error})"
        click.echo(line)

    result = deliver_outbox(limit, after_each=report)
    db.session.commit()
    click.echo(
        f"Sendt: {len(result.sent)}. Fejlet: {len(result.failed)}. "
        f"Skrevet i loggen (ingen mailserver): {len(result.logged)}. Venter: {result.waiting}."
    )
    if result.failed:
        sys.exit(1)


@outbox_group.command("list")
@with_appcontext
def list_command() -> None:
    """The messages not yet sent, oldest first."""
    from portal.notifications.outbox import NO_SERVER, unsent

    messages = unsent()
    for m in messages:
        if m.attempts:
            times = "gang" if m.attempts == 1 else "gange"
            state = f"fejlet {m.attempts} {times}: {m.last_error}"
        elif m.last_error == NO_SERVER:
            state = "venter (ingen mailserver; skrevet i loggen)"
        else:
            state = "venter"
        click.echo(
            f"#{m.id}  {local_datetime(m.created_at)}  {m.to_address}  {m.subject}  [{state}]"
        )
    n = len(messages)
    click.echo(f"{n} {'e-mail' if n == 1 else 'e-mails'} venter." if n else "Udbakken er tom.")
