import click


@click.group("outbox")
def outbox_group() -> None:
    """The e-mail outbox."""
