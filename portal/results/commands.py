"""``portal results rebuild [--round SLUG]``: the stored results recomputed from scratch."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.db import db
from portal.programmes.models import Round
from portal.results.refresh import rebuild


@click.group("results")
def results_group() -> None:
    """Stored results (benefits, progress) that dashboards and reports read."""


@results_group.command("rebuild")
@click.option("--round", "round_slug", help="only this round (slug)")
@with_appcontext
def rebuild_command(round_slug: str | None) -> None:
    """Recompute the stored results from the recorded figures."""
    round_ = None
    if round_slug:
        round_ = db.session.scalar(select(Round).where(Round.slug == round_slug))
        if round_ is None:
            raise click.ClickException(f"no round with slug {round_slug!r}")
    count = rebuild(round_)
    db.session.commit()
    click.echo(f"{count} participations recomputed")
