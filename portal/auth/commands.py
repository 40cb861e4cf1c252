from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.auth import services
from portal.auth.models import Role
from portal.db import db
from portal.errors import PortalError
from portal.municipalities.models import Municipality


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--municipality", "municipality_code", type=int, help="Kommunekode, fx 101.")
@click.option("--region", help="En regional konsulents region, fx 'Region Midtjylland'.")
@click.option("--country", default="DK", show_default=True, help="Landet kommunekoden hører til.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user_command(email, name, role, municipality_code, region, country, password) -> None:
    """Create a user (the first admin, say)."""
    from portal.cli_support import fail

    municipality_id = None
    if municipality_code is not None:
        municipality = db.session.scalar(
            select(Municipality).where(
                Municipality.country == country.upper(), Municipality.code == municipality_code
            )
        )
        if municipality is None:
            fail(PortalError(f"Ingen kommune med koden {municipality_code} i {country.upper()}."))
        municipality_id = municipality.id
    try:
        user = services.create_user(
            services.UserData(
                email=email,
                name=name,
                role=Role(role),
                municipality_id=municipality_id,
                region=region,
            ),
            password,
        )
    except PortalError as error:
        fail(error)
    db.session.commit()
    click.echo(f"Oprettet: {user.email} ({user.role.value})")
