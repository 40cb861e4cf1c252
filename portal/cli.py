"""The ``portal`` command: database, reference data, demo and accounts.

Each command calls the same services as the pages and commits once at the end; a refused
input prints every reason and exits with status 1, having changed nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from portal.cli_support import fail
from portal.db import db
from portal.errors import PortalError


@click.group("db")
def db_group() -> None:
    """The database schema (Alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    from portal.migrate import upgrade

    upgrade(db.engine, revision)
    click.echo("Databasen er opdateret.")


@click.group("municipalities")
def municipalities_group() -> None:
    """The municipality register."""


@municipalities_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--country", default="DK", show_default=True, help="Land for rækker uden 'country'.")
@with_appcontext
def municipalities_import(file: Path, country: str) -> None:
    """Create or update municipalities from a CSV register (all or nothing)."""
    from portal.municipalities.services import import_register

    try:
        result = import_register(file.read_bytes(), default_country=country)
    except PortalError as error:
        fail(error)
    db.session.commit()
    click.echo(result.summary())


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(municipalities_group)
    for extra in _extra_commands():
        app.cli.add_command(extra)


def _extra_commands() -> list[click.Command]:
    """Commands that live in their domain packages."""
    from portal.auth.commands import create_user_command
    from portal.benefits.commands import import_measurements_command
    from portal.dashboards.commands import dashboards_group
    from portal.demo import demo_command
    from portal.jobs.commands import worker_command
    from portal.notifications.commands import outbox_group
    from portal.openresults.commands import opendata_group
    from portal.participations.commands import participants_group
    from portal.privacy.commands import retention_command
    from portal.programmes.commands import programme_group, seed_command
    from portal.reporting.commands import reporting_group
    from portal.reports.commands import report_group
    from portal.results.commands import results_group
    from portal.webhooks.commands import webhooks_group

    return [
        create_user_command,
        demo_command,
        programme_group,
        seed_command,
        participants_group,
        outbox_group,
        import_measurements_command,
        dashboards_group,
        reporting_group,
        report_group,
        results_group,
        retention_command,
        worker_command,
        webhooks_group,
        opendata_group,
    ]


def main() -> None:
    from portal import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), add_default_commands=True)
    cli.help = "Skaleringsportalen"
    cli(prog_name="portal")
