"""``portal dashboards draw [--round SLUG]``: every municipality's own dashboard sections drawn
and kept (``SECTIONS_FOLDER``) before its reader comes, as after ``portal results rebuild``
or a bulk import: a reader then waits only for the page around them."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.dashboards.sections import draw
from portal.dashboards.versions import LOADS
from portal.db import db
from portal.participations.models import Participation
from portal.programmes.models import Round


@click.group("dashboards")
def dashboards_group() -> None:
    """The municipalities' dashboards."""


@dashboards_group.command("draw")
@click.option("--round", "round_slug", help="only this round (slug)")
@with_appcontext
def draw_command(round_slug: str | None) -> None:
    """Draw and keep each participation's own dashboard sections (those kept are skipped)."""
    query = (
        select(Participation)
        .options(*LOADS, joinedload(Participation.round).joinedload(Round.programme))
        .order_by(Participation.id)
    )
    if round_slug:
        round_ = db.session.scalar(select(Round).where(Round.slug == round_slug))
        if round_ is None:
            raise click.ClickException(f"no round with slug {round_slug!r}")
        query = query.where(Participation.round_id == round_.id)
    with current_app.test_request_context("/"):
        count = draw(db.session.scalars(query).unique())
    click.echo(f"{count} dashboards drawn")
