"""The worker's part (``portal.jobs.queue``): the deliveries due are sent a moment after the
commit that wrote them, again when a retry falls due, and every minute in any case (a
change another host made, a worker that was down)."""

from __future__ import annotations

import logging

from huey import crontab

from portal.db import db, utcnow
from portal.jobs.queue import huey, in_app_context
from portal.webhooks.sending import next_due, send_due

log = logging.getLogger(__name__)

SOON = 1  # seconds after the commit: the worker reads what was committed


@huey.task()
@in_app_context
def send_webhooks() -> None:
    send_due()
    due = next_due()
    if due is not None:
        wait = (due - utcnow()).total_seconds()
        if wait < 60:  # later ones: the periodic run
            send_webhooks.schedule(delay=max(wait, SOON))
    db.session.rollback()


@huey.periodic_task(crontab(minute="*"))
def send_webhooks_periodically() -> None:
    send_webhooks()


def send_soon() -> None:
    """Ask the worker to send what was just committed (never in the caller's commit: in
    immediate mode, the tests', a delayed task waits for a worker)."""
    try:
        send_webhooks.schedule(delay=SOON)
    except Exception:  # noqa: BLE001 - the deliveries are stored; the periodic run sends them
        log.exception("webhook deliveries could not be scheduled")
