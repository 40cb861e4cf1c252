from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.errors import PortalError


@click.group("programme")
def programme_group() -> None:
    """Programme definition files (TOML)."""


@programme_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load_command(file: Path) -> None:
    """Create or update a programme and its rounds from FILE, by slug (all or nothing)."""
    from portal.cli_support import fail
    from portal.programmes.loading import load_programme_path

    try:
        result = load_programme_path(file)
    except PortalError as error:
        fail(error)
    db.session.commit()
    click.echo(result.summary())


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the municipality register and the shipped programmes (safe to run again)."""
    from portal.cli_support import fail
    from portal.municipalities.services import load_shipped_register
    from portal.programmes.loading import load_shipped_programmes

    try:
        register = load_shipped_register()
        programmes = load_shipped_programmes()
    except PortalError as error:
        fail(error)
    db.session.commit()
    click.echo(register.summary())
    for result in programmes:
        click.echo(result.summary())
    if not programmes:
        click.echo("Indsatserne findes allerede (opdatér med 'portal programme load FILE').")
