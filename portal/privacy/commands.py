"""``portal retention [--dry-run]``: the retention table applied now, or only listed."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.privacy import retention


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
@with_appcontext
def retention_command(dry_run: bool) -> None:
    """Apply the retention table of personal data (or list what it would remove)."""
    items, _run = retention.run(dry_run=dry_run, origin="cli")
    db.session.commit()
    for item in items:
        click.echo(f"{item.kind}\t{item.what}")
    verb = "would be made anonymous" if dry_run else "made anonymous"
    click.echo(f"{len(items)} {'row' if len(items) == 1 else 'rows'} {verb}.")
