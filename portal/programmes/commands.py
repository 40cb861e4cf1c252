import click


@click.group("programme")
def programme_group() -> None:
    """Programme definition files."""


@click.command("seed")
def seed_command() -> None:
    """Load the municipality register and the shipped programmes (safe to run again)."""
