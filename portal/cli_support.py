"""What every command shares, kept out of ``portal.cli`` so a domain's commands do not import
the command root (which imports them)."""

from __future__ import annotations

import sys

import click

from portal.db import db
from portal.errors import PortalError, RowErrors


def fail(error: PortalError) -> None:
    """Print why the input was refused (every bad line of a file), undo, exit with status 1."""
    db.session.rollback()
    if isinstance(error, RowErrors):
        for line, reason in error.errors:
            click.echo(f"linje {line}: {reason}", err=True)
        click.echo(f"Intet er gemt: {len(error.errors)} fejl.", err=True)
    else:
        click.echo(f"Fejl: {error.message}", err=True)
    sys.exit(1)
