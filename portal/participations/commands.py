import click


@click.group("participants")
def participants_group() -> None:
    """Participations in a round (collaborations that began before the portal)."""
