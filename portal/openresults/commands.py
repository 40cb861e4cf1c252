"""``portal opendata snapshot|versions|prune``: the open data's dated versions for operators."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.db import db
from portal.jobs import leases
from portal.openresults import versions

opendata_group = AppGroup("opendata", help="The open data's dated versions.")


@opendata_group.command("snapshot")
@click.option(
    "--force", is_flag=True, help="Build the files even if the data's version is unchanged."
)
def snapshot_command(force: bool) -> None:
    """Make today's version of the open data files (none when their content is unchanged)."""
    with leases.periodic_lock("open-data-snapshot") as held:
        if not held:
            raise click.ClickException("A worker is making a version right now; try again shortly.")
        outcome = versions.snapshot(origin="cli", force=force)
        db.session.commit()
    if outcome.version is None:
        click.echo(f"No new version ({outcome.reason}).")
        return
    v = outcome.version
    click.echo(f"Version {v.day.isoformat()} made ({v.content_hash[:16]}):")
    for f in v.files:
        click.echo(f"  {f.name}\t{f.size} bytes\t{f.rows} rows\t{f.key}")


@opendata_group.command("versions")
def versions_command() -> None:
    """List the available versions, newest first."""
    for v in db.session.scalars(versions.available()):
        sizes = sum(f.size for f in v.files)
        click.echo(
            f"{v.day.isoformat()}\t{v.content_hash[:16]}\t{len(v.files)} files\t{sizes} bytes"
        )


@opendata_group.command("prune")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def prune_command(dry_run: bool) -> None:
    """Apply the retention of versions (monthly firsts kept, others OPEN_DATA_KEEP_DAYS days)."""
    gone = versions.to_prune() if dry_run else versions.prune()
    db.session.commit()
    for v in gone:
        click.echo(f"{v.day.isoformat()}\t{'withdrawn' if v.withdrawn_at else 'daily'}")
    click.echo(f"{len(gone)} versions {'would be ' if dry_run else ''}removed.")
