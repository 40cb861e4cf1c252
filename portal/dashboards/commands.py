"""``portal dashboards draw [--round SLUG]``: every municipality's own dashboard sections drawn
and kept (``SECTIONS_FOLDER``) before its reader comes, as after ``portal results rebuild``
or a bulk import, without waiting for the worker's next minute (``dashboards.tasks``)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.dashboards.tasks import draw_dashboards
from portal.db import db
from portal.programmes.models import Round


@click.group("dashboards")
def dashboards_group() -> None:
    """The municipalities' dashboards."""


@dashboards_group.command("draw")
@click.option("--round", "round_slug", help="only this round (slug)")
@with_appcontext
def draw_command(round_slug: str | None) -> None:
    """Draw and keep each participation's own dashboard sections (those kept are skipped)."""
    round_id = None
    if round_slug:
        round_id = db.session.scalar(select(Round.id).where(Round.slug == round_slug))
        if round_id is None:
            raise click.ClickException(f"no round with slug {round_slug!r}")
    click.echo(f"{draw_dashboards.call_local(round_id)} dashboards drawn")
