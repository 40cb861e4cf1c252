"""``portal worker``: the job queue's consumer, with the app around every task."""

from __future__ import annotations

import logging
import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Kør også de faste opgaver (udbakke, påmindelser, oprydning).",
)
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Run the background jobs and the periodic tasks (outbox every minute, reminders
    daily, clean-up, stored reports) until stopped (Ctrl-C or SIGTERM)."""
    from portal.jobs import tasks  # registers the tasks
    from portal.jobs.leases import LeaseKeeper
    from portal.jobs.queue import huey

    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is set: jobs run in the request, no worker.")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # WeasyPrint warns about every SVG property it skips in the charts: errors only.
    for chatty in ("weasyprint", "fontTools", "matplotlib"):
        logging.getLogger(chatty).setLevel(logging.ERROR)
    storage = "Redis" if current_app.config.get("REDIS_URL") else "SQLite"
    click.echo(f"Arbejderen kører ({storage}, kø '{huey.name}', {workers} tråde).", color=False)
    sys.stdout.flush()
    # Threads: a WeasyPrint rendering releases little of the GIL, but the outbox and the
    # reminders are never held up behind one job. An idle SQLite queue is polled at least
    # every second (Huey's default backs off to ten), so a job starts at once; Redis blocks.
    # The consumer handles SIGTERM itself.
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=periodic, max_delay=1.0
    )
    # Every worker takes over the jobs of a worker that was killed (``leases``).
    keeper = LeaseKeeper(current_app._get_current_object(), tasks.reclaim_lapsed_jobs)
    keeper.start()
    try:
        consumer.run()
    finally:
        keeper.stop()
