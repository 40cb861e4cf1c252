from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l

from portal.db import db
from portal.errors import InvalidInput, PortalError


@click.command("import-measurements")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_slug", required=True, help="Forløbets kortnavn (slug).")
@with_appcontext
def import_measurements_command(file: Path, round_slug: str) -> None:
    """Import baselines, targets, measurements and costs of a round from a CSV or XLSX file
    (municipality,indicator,kind,date,value,note), all or nothing; importing again updates."""
    from portal.benefits.files.importing import import_figures
    from portal.cli_support import fail
    from portal.programmes.services import get_round_by_slug

    try:
        round_ = get_round_by_slug(round_slug, include_drafts=True)
        if round_ is None:
            raise InvalidInput(
                _l("Der findes intet forløb med kortnavnet '%(slug)s'.", slug=round_slug)
            )
        result = import_figures(file.read_bytes(), round_, actor=None)
    except PortalError as error:
        fail(error)
    db.session.commit()
    click.echo(result.summary())
